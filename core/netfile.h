/*
 * The network file: the contract between import time and query time.
 *
 * Layout (all integers little-endian, fixed width, no pointers):
 *   struct cr_netfile_header                  at offset 0 (32 bytes)
 *   struct cr_netfile_section[section_count]  right after the header
 *   section payloads, each starting on a 64-byte boundary, zero padding between
 *
 * Each section is one array: a name ("node.lon_e7"), its offset and size in bytes, the size of
 * one element, and the CRC-32 (IEEE 802.3, as zlib's crc32) of its payload. A reader refuses a
 * file of another major version, another endianness, a file_size that differs from the real
 * size (truncation), a section outside the file, a size not a multiple of elem_size, a
 * payload whose CRC differs, and (minor 1 on) a header and section table whose CRC differs.
 */
#ifndef CR_CORE_NETFILE_H
#define CR_CORE_NETFILE_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define CR_NETFILE_MAGIC "CORRNET" /* 7 chars + NUL fill the 8 magic bytes */
#define CR_NETFILE_MAJOR 1
#define CR_NETFILE_MINOR 1 /* 1: table_crc32 in the header */
#define CR_NETFILE_ENDIAN 0x01020304u
#define CR_NETFILE_ALIGN 64
#define CR_NETFILE_NAME_MAX 24 /* including the NUL */
#define CR_NETFILE_MAX_SECTIONS 256

struct cr_netfile_header { /* little-endian, fixed width, no bitfields, no pointers */
    char magic[8];         /* "CORRNET\0" */
    uint16_t major, minor; /* refuse another major; a newer minor only adds sections */
    uint32_t endian;       /* 0x01020304 as written */
    uint32_t section_count;
    uint32_t table_crc32; /* minor >= 1: cr_netfile_table_crc (minor 0 wrote 0 here) */
    uint64_t file_size;   /* truncation caught before any section is read */
};
_Static_assert(sizeof(struct cr_netfile_header) == 32, "header layout is part of the format");

struct cr_netfile_section {
    char name[CR_NETFILE_NAME_MAX];
    uint64_t offset, size;
    uint32_t elem_size, crc32;
};
_Static_assert(sizeof(struct cr_netfile_section) == 48, "section layout is part of the format");

/* ---- writing ----------------------------------------------------------------------------- */

/* A writer collects sections (borrowing their memory until commit or destroy), then writes
 * them through core/atomic.h: a temporary file in the same folder, fsynced and renamed over
 * PATH, the folder fsynced. Until commit succeeds PATH is untouched, and no temporary file is
 * left behind by a failed commit or by destroy without commit. */
struct cr_netfile_writer;

/* Whether the folder of PATH ("out/x.corr" -> "out", "x.corr" -> ".", "/x.corr" -> "/") is a
 * folder this process may write in; the error names PATH and the folder. */
enum cr_status cr_netfile_check_folder(const char *path, struct cr_error *err);

/* Checks PATH's folder (cr_netfile_check_folder). caller frees: cr_netfile_writer_destroy() */
struct cr_netfile_writer *cr_netfile_writer_create(const char *path, struct cr_error *err);

/* Adds section NAME of COUNT elements of ELEM_SIZE bytes at DATA (borrowed: DATA must stay valid
 * until commit). Names must be unique and shorter than CR_NETFILE_NAME_MAX. */
enum cr_status cr_netfile_writer_add(struct cr_netfile_writer *w, const char *name,
                                     const void *data, uint32_t elem_size, uint64_t count,
                                     struct cr_error *err);

/* Whether a section NAME was added. */
int cr_netfile_writer_has(const struct cr_netfile_writer *w, const char *name);

/* Writes, fsyncs, renames. Errors name the path. */
enum cr_status cr_netfile_writer_commit(struct cr_netfile_writer *w, struct cr_error *err);

void cr_netfile_writer_destroy(struct cr_netfile_writer *w);

/* ---- reading ----------------------------------------------------------------------------- */

struct cr_netfile {
    const unsigned char *data; /* the whole file, mmap'd read-only (or borrowed, see _init_mem) */
    size_t size;
    const struct cr_netfile_header *header;
    const struct cr_netfile_section *sections;
    int mapped;     /* 1 when data is our mmap and _unmap must munmap it */
    char path[256]; /* for error messages */
};

/* Maps PATH read-only and runs cr_netfile_check on it (checksums included). */
enum cr_status cr_netfile_map(struct cr_netfile *f, const char *path, struct cr_error *err);

/* Uses DATA/LEN (borrowed) as a network file, after cr_netfile_check. NAME is for messages. */
enum cr_status cr_netfile_init_mem(struct cr_netfile *f, const void *data, size_t len,
                                   const char *name, struct cr_error *err);

void cr_netfile_unmap(struct cr_netfile *f);

/* Proves the header, the section table and every section lie inside LEN and are well formed,
 * and that every section's CRC matches. NAME is for messages ("x.corr: truncated: ..."). */
enum cr_status cr_netfile_check(const void *data, size_t len, const char *name,
                                struct cr_error *err);

/* The payload of section NAME if present with elem_size ELEM_SIZE; sets *count to the number of
 * elements. NULL with err filled (CR_ENOTFOUND or CR_EFORMAT) otherwise. A present but empty
 * section returns a non-NULL pointer with *count 0. */
const void *cr_netfile_section(const struct cr_netfile *f, const char *name, uint32_t elem_size,
                               uint64_t *count, struct cr_error *err);

/* The CRC-32 of the header (but its minor and table_crc32 fields) and of the SECTION_COUNT
 * entries of the section table after it, at DATA (at least 32 + 48 * SECTION_COUNT bytes).
 * Files of minor 1 on keep it in table_crc32, so a flipped bit in a section's name, offset or
 * size, or in the section count, is found even where the payload checksums still agree. */
uint32_t cr_netfile_table_crc(const void *data, uint32_t section_count);

/* CRC-32 (IEEE), continuing from CRC (start with 0). */
uint32_t cr_crc32(uint32_t crc, const void *data, size_t len);

#endif
