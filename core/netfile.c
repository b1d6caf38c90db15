#include "core/netfile.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/atomic.h"

#define TABLE_OFFSET sizeof(struct cr_netfile_header)
#define CHUNK_BYTES (1u << 20) /* crc and write in 1 MiB pieces: the piece is still in cache */

/* ---- CRC-32 (IEEE 802.3, reflected, poly 0xEDB88320), slice-by-16 -------------------------- */

/* crc_table[0] is the classic byte table; crc_table[t][b] is the CRC of byte b followed by t
 * zero bytes, so 16 input bytes fold in with 16 independent lookups (about 3 GB/s). */
static uint32_t crc_table[16][256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void
crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; i++)
        for (int t = 1; t < 16; t++)
            crc_table[t][i] = crc_table[0][crc_table[t - 1][i] & 0xFF] ^ (crc_table[t - 1][i] >> 8);
}

static uint32_t
load_le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The four bytes of W looked up in tables T+3 .. T (first byte in the highest table). */
#define FOLD4(w, t)                                                                                \
    (crc_table[(t) + 3][(w)&0xFF] ^ crc_table[(t) + 2][((w) >> 8) & 0xFF] ^                        \
     crc_table[(t) + 1][((w) >> 16) & 0xFF] ^ crc_table[(t)][(w) >> 24])

uint32_t
cr_crc32(uint32_t crc, const void *data, size_t len)
{
    const unsigned char *p = data;
    pthread_once(&crc_once, crc_init);
    crc = ~crc;
    for (; len >= 16; p += 16, len -= 16) {
        const uint32_t a = load_le32(p) ^ crc, b = load_le32(p + 4), c = load_le32(p + 8),
                       d = load_le32(p + 12);
        crc = FOLD4(a, 12) ^ FOLD4(b, 8) ^ FOLD4(c, 4) ^ FOLD4(d, 0);
    }
    while (len--)
        crc = crc_table[0][(crc ^ *p++) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

/* ---- shared helpers ------------------------------------------------------------------------- */

static int
host_is_little_endian(void)
{
    const uint32_t probe = 1;
    unsigned char first;
    memcpy(&first, &probe, 1);
    return first == 1;
}

/* Section names are 1..23 printable ASCII characters without spaces ("node.lon_e7"). */
static int
name_is_valid(const char *name, size_t len)
{
    if (len == 0 || len >= CR_NETFILE_NAME_MAX)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (name[i] <= ' ' || name[i] > '~')
            return 0;
    return 1;
}

static uint64_t
align_up(uint64_t x)
{
    return (x + CR_NETFILE_ALIGN - 1) & ~(uint64_t)(CR_NETFILE_ALIGN - 1);
}

/* ---- writing -------------------------------------------------------------------------------- */

struct pending {
    const void *data;
    uint64_t size;
    uint32_t elem_size;
};

struct cr_netfile_writer {
    char *path; /* "out/x.corr"; written through core/atomic.h at commit */
    int committed;
    uint32_t count;
    struct cr_netfile_section table[CR_NETFILE_MAX_SECTIONS]; /* offsets and CRCs at commit */
    struct pending pending[CR_NETFILE_MAX_SECTIONS];
};

enum cr_status
cr_netfile_check_folder(const char *path, struct cr_error *err)
{
    const char *slash = strrchr(path, '/');
    char *dir = !slash ? strdup(".") : strndup(path, slash == path ? 1 : (size_t)(slash - path));
    enum cr_status st = CR_OK;
    struct stat sb;

    if (!dir)
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", path);
    if (stat(dir, &sb) != 0 || (S_ISDIR(sb.st_mode) && access(dir, W_OK) != 0))
        st = cr_error_set(err, CR_EIO, "%s: cannot write in folder %s: %s", path, dir,
                          strerror(errno));
    else if (!S_ISDIR(sb.st_mode))
        st = cr_error_set(err, CR_EIO, "%s: %s is not a folder", path, dir);
    free(dir);
    return st;
}

struct cr_netfile_writer *
cr_netfile_writer_create(const char *path, struct cr_error *err)
{
    struct cr_netfile_writer *w = NULL;
    if (!path || !*path) {
        cr_error_set(err, CR_EINVAL, "network file: empty path");
        return NULL;
    }
    if (!host_is_little_endian()) {
        cr_error_set(err, CR_EINTERNAL, "%s: big-endian hosts not supported", path);
        return NULL;
    }
    if (cr_netfile_check_folder(path, err))
        return NULL;
    w = calloc(1, sizeof *w);
    if (!w || !(w->path = strdup(path))) {
        free(w);
        cr_error_set(err, CR_ENOMEM, "%s: out of memory", path);
        return NULL;
    }
    return w;
}

int
cr_netfile_writer_has(const struct cr_netfile_writer *w, const char *name)
{
    for (uint32_t i = 0; i < w->count; i++)
        if (strncmp(w->table[i].name, name, CR_NETFILE_NAME_MAX) == 0)
            return 1;
    return 0;
}

enum cr_status
cr_netfile_writer_add(struct cr_netfile_writer *w, const char *name, const void *data,
                      uint32_t elem_size, uint64_t count, struct cr_error *err)
{
    if (!name || !name_is_valid(name, strnlen(name, CR_NETFILE_NAME_MAX)))
        return cr_error_set(
            err, CR_EINVAL, "%s: section name \"%.*s\" must be 1 to %d printable characters",
            w->path, CR_NETFILE_NAME_MAX, name ? name : "", CR_NETFILE_NAME_MAX - 1);
    if (w->committed)
        return cr_error_set(err, CR_EINVAL, "%s: section %s added after commit", w->path, name);
    if (w->count == CR_NETFILE_MAX_SECTIONS)
        return cr_error_set(err, CR_EINVAL, "%s: section %s: more than %d sections", w->path, name,
                            CR_NETFILE_MAX_SECTIONS);
    if (elem_size == 0)
        return cr_error_set(err, CR_EINVAL, "%s: section %s: element size 0", w->path, name);
    if (count > UINT64_MAX / elem_size || count * elem_size > (uint64_t)SIZE_MAX)
        return cr_error_set(err, CR_EINVAL, "%s: section %s: %llu elements of %u bytes is too big",
                            w->path, name, (unsigned long long)count, elem_size);
    if (count > 0 && !data)
        return cr_error_set(err, CR_EINVAL, "%s: section %s: no data for %llu elements", w->path,
                            name, (unsigned long long)count);
    for (uint32_t i = 0; i < w->count; i++)
        if (strcmp(w->table[i].name, name) == 0)
            return cr_error_set(err, CR_EINVAL, "%s: section %s added twice", w->path, name);

    struct cr_netfile_section *s = &w->table[w->count];
    memset(s, 0, sizeof *s);
    memcpy(s->name, name, strlen(name)); /* the rest of name[] stays NUL */
    s->size = count * elem_size;
    s->elem_size = elem_size;
    w->pending[w->count] =
        (struct pending){ .data = data, .size = s->size, .elem_size = elem_size };
    w->count++;
    return CR_OK;
}

/* Writes all LEN bytes at OFFSET, or at the file position when OFFSET is -1 (a loop: write()
 * may write less, and at most about 2 GiB per call). 0 or -1 with errno. */
static int
write_all_at(int fd, const void *data, uint64_t len, off_t offset)
{
    const unsigned char *p = data;
    while (len > 0) {
        size_t n = len > CHUNK_BYTES ? CHUNK_BYTES : (size_t)len;
        ssize_t done = offset < 0 ? write(fd, p, n) : pwrite(fd, p, n, offset);
        if (done < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (done == 0) {
            errno = EIO;
            return -1;
        }
        p += done;
        len -= (uint64_t)done;
        if (offset >= 0)
            offset += done;
    }
    return 0;
}

/* Writes one payload, computing its CRC piece by piece as it goes. */
static int
write_payload(int fd, const struct pending *in, uint32_t *crc)
{
    const unsigned char *p = in->data;
    uint64_t left = in->size;
    *crc = 0;
    while (left > 0) {
        size_t n = left > CHUNK_BYTES ? CHUNK_BYTES : (size_t)left;
        *crc = cr_crc32(*crc, p, n);
        if (write_all_at(fd, p, n, -1) != 0)
            return -1;
        p += n;
        left -= n;
    }
    return 0;
}

static const unsigned char zeros[CR_NETFILE_ALIGN];

/* cr_netfile_table_crc over a header H and a table T of N entries (not necessarily contiguous). */
static uint32_t
table_crc(const struct cr_netfile_header *h, const struct cr_netfile_section *t, uint32_t n)
{
    uint32_t crc = cr_crc32(0, h->magic, sizeof h->magic);
    crc = cr_crc32(crc, &h->major, sizeof h->major);
    crc = cr_crc32(crc, &h->endian, sizeof h->endian);
    crc = cr_crc32(crc, &h->section_count, sizeof h->section_count);
    crc = cr_crc32(crc, &h->file_size, sizeof h->file_size);
    return cr_crc32(crc, t, (size_t)n * sizeof *t);
}

uint32_t
cr_netfile_table_crc(const void *data, uint32_t section_count)
{
    struct cr_netfile_header h;
    memcpy(&h, data, sizeof h);
    return table_crc(&h,
                     (const struct cr_netfile_section *)((const unsigned char *)data + sizeof h),
                     section_count);
}

/* The header, table and payloads into FD: zeros first where the header and table go, each
 * payload on its 64-byte boundary with its CRC, then the header and table at their offsets.
 * 0 or -1 with errno. */
static int
write_sections(struct cr_netfile_writer *w, int fd, const struct cr_netfile_header *header_in,
               uint64_t table_end)
{
    struct cr_netfile_header header[1] = { *header_in };
    uint64_t pos = table_end;
    for (uint64_t left = table_end; left > 0;) {
        size_t n = left > sizeof zeros ? sizeof zeros : (size_t)left;
        if (write_all_at(fd, zeros, n, -1) != 0)
            return -1;
        left -= n;
    }
    for (uint32_t i = 0; i < w->count; i++) {
        if (write_all_at(fd, zeros, w->table[i].offset - pos, -1) != 0 ||
            write_payload(fd, &w->pending[i], &w->table[i].crc32) != 0)
            return -1;
        pos = w->table[i].offset + w->table[i].size;
    }
    header->table_crc32 = table_crc(header, w->table, w->count); /* the payload CRCs are in */
    if (write_all_at(fd, header, sizeof *header, 0) != 0 ||
        write_all_at(fd, w->table, (uint64_t)w->count * sizeof w->table[0], TABLE_OFFSET) != 0)
        return -1;
    return 0;
}

enum cr_status
cr_netfile_writer_commit(struct cr_netfile_writer *w, struct cr_error *err)
{
    struct cr_atomic_file a;
    const char *step = "cannot open";
    enum cr_status st;
    int fd = -1;
    if (w->committed)
        return cr_error_set(err, CR_EINVAL, "%s: already committed", w->path);

    /* layout: header, table, then each payload on a 64-byte boundary */
    uint64_t table_end = TABLE_OFFSET + (uint64_t)w->count * sizeof(struct cr_netfile_section);
    uint64_t pos = table_end;
    for (uint32_t i = 0; i < w->count; i++) {
        pos = align_up(pos);
        w->table[i].offset = pos;
        pos += w->table[i].size;
    }
    struct cr_netfile_header header = { .magic = CR_NETFILE_MAGIC,
                                        .major = CR_NETFILE_MAJOR,
                                        .minor = CR_NETFILE_MINOR,
                                        .endian = CR_NETFILE_ENDIAN,
                                        .section_count = w->count,
                                        .file_size = pos };

    /* a temporary file beside PATH, written at offsets, then synced and renamed over PATH */
    if ((st = cr_atomic_open_path(&a, w->path, err)))
        return st;
    fd = open(a.tmp, O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0)
        goto fail;
    step = "cannot write";
    if (write_sections(w, fd, &header, table_end) != 0)
        goto fail;
    step = "cannot close";
    int rc = close(fd);
    fd = -1;
    if (rc != 0)
        goto fail;
    if ((st = cr_atomic_commit(&a, err))) /* fsync, rename, fsync of the folder */
        return st;
    w->committed = 1;
    return CR_OK;
fail:;
    int saved = errno;
    if (fd >= 0)
        close(fd);
    st = cr_error_set(err, CR_EIO, "%s: %s %s: %s", w->path, step, a.tmp, strerror(saved));
    cr_atomic_abort(&a);
    return st;
}

void
cr_netfile_writer_destroy(struct cr_netfile_writer *w)
{
    if (!w)
        return;
    free(w->path);
    free(w);
}

/* ---- reading -------------------------------------------------------------------------------- */

static void
read_header(const unsigned char *p, struct cr_netfile_header *h)
{
    memcpy(h, p, sizeof *h);
}

static void
read_section(const unsigned char *p, uint32_t i, struct cr_netfile_section *s)
{
    memcpy(s, p + TABLE_OFFSET + (size_t)i * sizeof *s, sizeof *s);
}

enum cr_status
cr_netfile_check(const void *data, size_t len, const char *name, struct cr_error *err)
{
    static const char magic[8] = CR_NETFILE_MAGIC;
    const unsigned char *p = data;
    struct cr_netfile_header h;
    if (!name)
        name = "network file";
    if (!host_is_little_endian())
        return cr_error_set(err, CR_EINTERNAL, "%s: big-endian hosts not supported", name);
    if (!p && len > 0)
        return cr_error_set(err, CR_EINVAL, "%s: no data", name);
    if (memcmp(p ? (const void *)p : (const void *)magic, magic, len < 8 ? len : 8) != 0)
        return cr_error_set(err, CR_EFORMAT, "%s: not a corridor network file", name);
    if (len < sizeof h)
        return cr_error_set(err, CR_EFORMAT,
                            "%s: truncated: %zu bytes, shorter than the %zu-byte header", name, len,
                            sizeof h);
    read_header(p, &h);
    if (h.endian != CR_NETFILE_ENDIAN)
        return cr_error_set(err, CR_EFORMAT, "%s: byte-order mark 0x%08x, expected 0x%08x", name,
                            h.endian, CR_NETFILE_ENDIAN);
    if (h.major != CR_NETFILE_MAJOR)
        return cr_error_set(err, CR_EVERSION,
                            "%s: network format version %u.%u, this corridor reads %d.x; "
                            "re-import it",
                            name, h.major, h.minor, CR_NETFILE_MAJOR);
    if (h.file_size > len)
        return cr_error_set(err, CR_EFORMAT, "%s: truncated: header says %llu bytes, file has %zu",
                            name, (unsigned long long)h.file_size, len);
    if (h.file_size < len)
        return cr_error_set(err, CR_EFORMAT,
                            "%s: trailing data: header says %llu bytes, file has %zu", name,
                            (unsigned long long)h.file_size, len);
    if (h.section_count > CR_NETFILE_MAX_SECTIONS)
        return cr_error_set(err, CR_EFORMAT, "%s: %u sections, at most %d", name, h.section_count,
                            CR_NETFILE_MAX_SECTIONS);
    uint64_t table_end =
        TABLE_OFFSET + (uint64_t)h.section_count * sizeof(struct cr_netfile_section);
    if (table_end > len)
        return cr_error_set(err, CR_EFORMAT,
                            "%s: truncated: section table needs %llu bytes, file has %zu", name,
                            (unsigned long long)table_end, len);

    /* every section's shape first, so no byte is read before all are proven inside the file */
    for (uint32_t i = 0; i < h.section_count; i++) {
        struct cr_netfile_section s;
        read_section(p, i, &s);
        size_t name_len = strnlen(s.name, sizeof s.name);
        if (name_len == sizeof s.name || !name_is_valid(s.name, name_len))
            return cr_error_set(err, CR_EFORMAT, "%s: section %u: bad name", name, i);
        for (uint32_t j = 0; j < i; j++) {
            struct cr_netfile_section t;
            read_section(p, j, &t);
            if (strcmp(s.name, t.name) == 0)
                return cr_error_set(err, CR_EFORMAT, "%s: section %s appears twice", name, s.name);
        }
        if (s.offset % CR_NETFILE_ALIGN != 0 || s.offset < table_end)
            return cr_error_set(err, CR_EFORMAT,
                                "%s: section %s: offset %llu not a multiple of %d after the "
                                "section table",
                                name, s.name, (unsigned long long)s.offset, CR_NETFILE_ALIGN);
        if (s.offset > len || s.size > len - s.offset)
            return cr_error_set(err, CR_EFORMAT,
                                "%s: section %s: %llu bytes at offset %llu lie outside the "
                                "%zu-byte file",
                                name, s.name, (unsigned long long)s.size,
                                (unsigned long long)s.offset, len);
        if (s.elem_size == 0)
            return cr_error_set(err, CR_EFORMAT, "%s: section %s: element size 0", name, s.name);
        if (s.size % s.elem_size != 0)
            return cr_error_set(err, CR_EFORMAT,
                                "%s: section %s: %llu bytes not a multiple of element size %u",
                                name, s.name, (unsigned long long)s.size, s.elem_size);
    }
    for (uint32_t i = 0; i < h.section_count; i++) {
        struct cr_netfile_section s;
        read_section(p, i, &s);
        if (cr_crc32(0, p + s.offset, (size_t)s.size) != s.crc32)
            return cr_error_set(err, CR_ECHECKSUM,
                                "%s: section %s: checksum mismatch (file damaged)", name, s.name);
    }
    if (h.minor >= 1 && cr_netfile_table_crc(p, h.section_count) != h.table_crc32)
        return cr_error_set(err, CR_ECHECKSUM,
                            "%s: header or section table: checksum mismatch (file damaged)", name);
    return CR_OK;
}

static void
set_path(struct cr_netfile *f, const char *path)
{
    size_t n = strlen(path);
    if (n >= sizeof f->path)
        n = sizeof f->path - 1;
    memcpy(f->path, path, n);
    f->path[n] = '\0';
}

enum cr_status
cr_netfile_init_mem(struct cr_netfile *f, const void *data, size_t len, const char *name,
                    struct cr_error *err)
{
    memset(f, 0, sizeof *f);
    if (!name)
        name = "network file";
    set_path(f, name);
    if ((uintptr_t)data % 8 != 0)
        return cr_error_set(err, CR_EINVAL, "%s: data not 8-byte aligned", name);
    enum cr_status rc = cr_netfile_check(data, len, name, err);
    if (rc != CR_OK)
        return rc;
    f->data = data;
    f->size = len;
    f->header = data;
    f->sections = (const struct cr_netfile_section *)(f->data + TABLE_OFFSET);
    return CR_OK;
}

enum cr_status
cr_netfile_map(struct cr_netfile *f, const char *path, struct cr_error *err)
{
    struct stat st;
    void *data;
    memset(f, 0, sizeof *f);
    if (!path || !*path)
        return cr_error_set(err, CR_EINVAL, "network file: empty path");
    set_path(f, path);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return cr_error_set(err, CR_EIO, "%s: %s", path, strerror(errno));
    if (fstat(fd, &st) != 0) {
        int saved = errno;
        close(fd);
        return cr_error_set(err, CR_EIO, "%s: %s", path, strerror(saved));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return cr_error_set(err, CR_EIO, "%s: not a regular file", path);
    }
    if (st.st_size == 0) {
        close(fd);
        return cr_error_set(err, CR_EFORMAT, "%s: empty file", path);
    }
    if ((uint64_t)st.st_size > SIZE_MAX) {
        close(fd);
        return cr_error_set(err, CR_ENOMEM, "%s: too big to map", path);
    }
    data = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    int saved = errno;
    close(fd); /* the mapping keeps the file */
    if (data == MAP_FAILED)
        return cr_error_set(err, CR_EIO, "%s: cannot map: %s", path, strerror(saved));
    enum cr_status rc = cr_netfile_check(data, (size_t)st.st_size, path, err);
    if (rc != CR_OK) {
        munmap(data, (size_t)st.st_size);
        return rc;
    }
    f->data = data;
    f->size = (size_t)st.st_size;
    f->header = data;
    f->sections = (const struct cr_netfile_section *)(f->data + TABLE_OFFSET);
    f->mapped = 1;
    return CR_OK;
}

void
cr_netfile_unmap(struct cr_netfile *f)
{
    if (!f)
        return;
    if (f->mapped && f->data)
        munmap((void *)f->data, f->size);
    memset(f, 0, sizeof *f);
}

const void *
cr_netfile_section(const struct cr_netfile *f, const char *name, uint32_t elem_size,
                   uint64_t *count, struct cr_error *err)
{
    if (count)
        *count = 0;
    if (!f->header) {
        cr_error_set(err, CR_EINVAL, "%s: not loaded", f->path);
        return NULL;
    }
    for (uint32_t i = 0; i < f->header->section_count; i++) {
        const struct cr_netfile_section *s = &f->sections[i];
        if (strncmp(s->name, name, sizeof s->name) != 0)
            continue;
        if (s->elem_size != elem_size) {
            cr_error_set(err, CR_EFORMAT, "%s: section %s: element size %u, expected %u", f->path,
                         name, s->elem_size, elem_size);
            return NULL;
        }
        if (count)
            *count = s->size / s->elem_size;
        return f->data + s->offset;
    }
    cr_error_set(err, CR_ENOTFOUND, "%s: no section %s", f->path, name);
    return NULL;
}
