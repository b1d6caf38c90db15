/*
 * The network file container: CRC-32, writer (temporary name, fsync, rename) and reader checks.
 *
 * Sample file (write_sample):
 *   "a.u32"     1000 x uint32  i * 2654435761 (wraps)
 *   "b.empty"   0 x uint64     (NULL data)
 *   "c.i64"     7 x int64      -3 .. 3 times 10^12
 *   "d.rec"     5 x 12-byte record
 *   "e.text"    6 x char       "hello\0"
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/netfile.h"

#ifdef CR_TEST_ZLIB /* build with -DCR_TEST_ZLIB ... -lz to compare with zlib as well */
#include <zlib.h>
#endif

#define assert_error(rc, err, want_code, want_text)                                                \
    do {                                                                                           \
        assert_int_equal((rc), (want_code));                                                       \
        assert_int_equal((err).code, (want_code));                                                 \
        if (!strstr((err).msg, (want_text)))                                                       \
            fail_msg("message \"%s\" lacks \"%s\"", (err).msg, (want_text));                       \
    } while (0)

static char dir[64]; /* this run's temporary folder */

struct rec {
    uint32_t a, b, c;
};

static uint32_t sample_u32[1000];
static int64_t sample_i64[7];
static struct rec sample_rec[5];
static const char sample_text[] = "hello";

/* ---- helpers -------------------------------------------------------------------------------- */

static void
rm_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        chmod(path, 0700);
        DIR *d = opendir(path);
        if (d) {
            struct dirent *de;
            while ((de = readdir(d))) {
                char sub[PATH_MAX];
                if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                    continue;
                snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
                rm_tree(sub);
            }
            closedir(d);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

static int
group_setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/cr_test_netfile_XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    for (uint32_t i = 0; i < 1000; i++)
        sample_u32[i] = i * 2654435761u;
    for (int i = 0; i < 7; i++)
        sample_i64[i] = (i - 3) * 1000000000000LL;
    for (uint32_t i = 0; i < 5; i++)
        sample_rec[i] = (struct rec){ i, 10 * i, 100 * i };
    return 0;
}

static int
group_teardown(void **state)
{
    (void)state;
    rm_tree(dir);
    return 0;
}

static void
path_in_dir(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", dir, name);
}

static int
exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* caller frees */
static unsigned char *
read_bytes(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    unsigned char *buf = malloc(n > 0 ? (size_t)n : 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    *len = (size_t)n;
    return buf;
}

static void
write_bytes(const char *path, const void *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

static void
write_sample(const char *path)
{
    struct cr_error err = { 0 };
    struct cr_netfile_writer *w = cr_netfile_writer_create(path, &err);
    if (!w)
        fail_msg("%s", err.msg);
    if (cr_netfile_writer_add(w, "a.u32", sample_u32, sizeof sample_u32[0], 1000, &err) ||
        cr_netfile_writer_add(w, "b.empty", NULL, sizeof(uint64_t), 0, &err) ||
        cr_netfile_writer_add(w, "c.i64", sample_i64, sizeof sample_i64[0], 7, &err) ||
        cr_netfile_writer_add(w, "d.rec", sample_rec, sizeof sample_rec[0], 5, &err) ||
        cr_netfile_writer_add(w, "e.text", sample_text, 1, sizeof sample_text, &err) ||
        cr_netfile_writer_commit(w, &err))
        fail_msg("%s", err.msg);
    cr_netfile_writer_destroy(w);
}

/* The sample file's bytes. caller frees */
static unsigned char *
sample_bytes(size_t *len)
{
    char path[PATH_MAX];
    path_in_dir(path, sizeof path, "sample.corr");
    write_sample(path);
    unsigned char *buf = read_bytes(path, len);
    unlink(path);
    return buf;
}

/* Runs cr_netfile_check on a copy of exactly LEN bytes, so ASan sees any read past the end. */
static enum cr_status
check_copy(const unsigned char *data, size_t len, struct cr_error *err)
{
    unsigned char *copy = malloc(len ? len : 1);
    assert_non_null(copy);
    if (len)
        memcpy(copy, data, len);
    enum cr_status rc = cr_netfile_check(copy, len, "x.corr", err);
    free(copy);
    return rc;
}

static void
patch(unsigned char *buf, size_t offset, const void *value, size_t n)
{
    memcpy(buf + offset, value, n);
}

/* Byte offset of FIELD of section I in the table. */
#define SECTION_FIELD(i, field)                                                                    \
    (sizeof(struct cr_netfile_header) + (i) * sizeof(struct cr_netfile_section) +                  \
     offsetof(struct cr_netfile_section, field))

static void
check_sample_sections(const struct cr_netfile *f)
{
    struct cr_error err = { 0 };
    uint64_t count = 99;
    const uint32_t *a = cr_netfile_section(f, "a.u32", 4, &count, &err);
    assert_non_null(a);
    assert_int_equal(count, 1000);
    assert_memory_equal(a, sample_u32, sizeof sample_u32);
    const void *b = cr_netfile_section(f, "b.empty", 8, &count, &err);
    assert_non_null(b); /* present but empty: non-NULL, count 0 */
    assert_int_equal(count, 0);
    const int64_t *c = cr_netfile_section(f, "c.i64", 8, &count, &err);
    assert_non_null(c);
    assert_int_equal(count, 7);
    assert_memory_equal(c, sample_i64, sizeof sample_i64);
    const struct rec *d = cr_netfile_section(f, "d.rec", sizeof(struct rec), &count, &err);
    assert_non_null(d);
    assert_int_equal(count, 5);
    assert_memory_equal(d, sample_rec, sizeof sample_rec);
    const char *e = cr_netfile_section(f, "e.text", 1, &count, &err);
    assert_non_null(e);
    assert_int_equal(count, 6);
    assert_string_equal(e, "hello");
}

/* ---- CRC-32 --------------------------------------------------------------------------------- */

static uint32_t
crc32_bitwise(uint32_t crc, const unsigned char *p, size_t len)
{
    crc = ~crc;
    while (len--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++)
            crc = crc & 1 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
    }
    return ~crc;
}

static void
crc32_known_vectors(void **state)
{
    static const struct {
        const char *text;
        uint32_t crc;
    } cases[] = {
        { "", 0x00000000u },
        { "a", 0xE8B7BE43u },
        { "abc", 0x352441C2u },
        { "123456789", 0xCBF43926u },
        { "The quick brown fox jumps over the lazy dog", 0x414FA339u },
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t got = cr_crc32(0, cases[i].text, strlen(cases[i].text));
        if (got != cases[i].crc)
            fail_msg("crc32(\"%s\") = 0x%08x, want 0x%08x", cases[i].text, got, cases[i].crc);
    }
    /* continuing: crc(crc("1234"), "56789") == crc("123456789") */
    assert_int_equal(cr_crc32(cr_crc32(0, "1234", 4), "56789", 5), 0xCBF43926u);
}

static void
crc32_matches_reference(void **state)
{
    enum { MAX = 5000 };
    unsigned char *buf = malloc(MAX + 8);
    uint32_t seed = 12345;
    (void)state;
    assert_non_null(buf);
    for (size_t i = 0; i < MAX + 8; i++) {
        seed = seed * 1103515245u + 12345u;
        buf[i] = (unsigned char)(seed >> 16);
    }
    for (size_t len = 0; len < MAX; len = len < 40 ? len + 1 : len * 3 / 2 + 7) {
        for (size_t shift = 0; shift < 8; shift++) { /* every alignment */
            const unsigned char *p = buf + shift;
            uint32_t want = crc32_bitwise(0, p, len);
            uint32_t got = cr_crc32(0, p, len);
            if (got != want)
                fail_msg("len %zu shift %zu: 0x%08x, want 0x%08x", len, shift, got, want);
            size_t cut = len / 3;
            assert_int_equal(cr_crc32(cr_crc32(0, p, cut), p + cut, len - cut), want);
#ifdef CR_TEST_ZLIB
            assert_int_equal(crc32(0, p, (uInt)len), want);
#endif
        }
    }
    free(buf);
}

/* ---- round trips ---------------------------------------------------------------------------- */

static void
round_trip_map(void **state)
{
    char path[PATH_MAX], tmp[PATH_MAX];
    struct cr_netfile f;
    struct cr_error err = { 0 };
    (void)state;
    path_in_dir(path, sizeof path, "round.corr");
    path_in_dir(tmp, sizeof tmp, "round.corr.tmp");
    write_sample(path);
    assert_false(exists(tmp));
    if (cr_netfile_map(&f, path, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(f.mapped, 1);
    assert_string_equal(f.path, path);
    check_sample_sections(&f);

    /* the layout §5 promises */
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777 & ~0022, 0644 & ~0022);
    assert_memory_equal(f.header->magic, "CORRNET", 8);
    assert_int_equal(f.header->major, CR_NETFILE_MAJOR);
    assert_int_equal(f.header->minor, CR_NETFILE_MINOR);
    assert_int_equal(f.header->endian, CR_NETFILE_ENDIAN);
    assert_int_equal(f.header->section_count, 5);
    assert_int_equal(f.header->file_size, (uint64_t)st.st_size);
    assert_int_equal(f.size, (size_t)st.st_size);
    for (uint32_t i = 0; i < 5; i++) {
        assert_int_equal(f.sections[i].offset % CR_NETFILE_ALIGN, 0);
        assert_int_equal(f.sections[i].crc32,
                         cr_crc32(0, f.data + f.sections[i].offset, f.sections[i].size));
    }
    assert_string_equal(f.sections[0].name, "a.u32");
    assert_int_equal(f.sections[0].offset, 320); /* 32 + 5 * 48 = 272, up to 320 */

    assert_null(cr_netfile_section(&f, "nope", 4, NULL, &err));
    assert_error(CR_ENOTFOUND, err, CR_ENOTFOUND, "round.corr: no section nope");
    cr_netfile_unmap(&f);
    assert_null(f.data);
    cr_netfile_unmap(NULL);
    unlink(path);
}

static void
round_trip_mem(void **state)
{
    size_t len;
    unsigned char *buf = sample_bytes(&len);
    struct cr_netfile f;
    struct cr_error err = { 0 };
    (void)state;
    if (cr_netfile_init_mem(&f, buf, len, "mem", &err))
        fail_msg("%s", err.msg);
    assert_int_equal(f.mapped, 0);
    assert_string_equal(f.path, "mem");
    check_sample_sections(&f);
    cr_netfile_unmap(&f); /* borrowed: must not free or munmap */
    free(buf);
}

static void
no_sections(void **state)
{
    char path[PATH_MAX];
    struct cr_error err = { 0 };
    struct cr_netfile f;
    (void)state;
    path_in_dir(path, sizeof path, "none.corr");
    struct cr_netfile_writer *w = cr_netfile_writer_create(path, &err);
    assert_non_null(w);
    assert_int_equal(cr_netfile_writer_commit(w, &err), CR_OK);
    assert_error(cr_netfile_writer_commit(w, &err), err, CR_EINVAL, "already committed");
    cr_netfile_writer_destroy(w);
    assert_true(exists(path)); /* destroy after commit keeps the file */
    assert_int_equal(cr_netfile_map(&f, path, &err), CR_OK);
    assert_int_equal(f.size, sizeof(struct cr_netfile_header));
    assert_int_equal(f.header->section_count, 0);
    cr_netfile_unmap(&f);
    unlink(path);
}

static void
replaces_existing_file(void **state)
{
    char path[PATH_MAX];
    struct cr_error err = { 0 };
    struct cr_netfile f;
    (void)state;
    path_in_dir(path, sizeof path, "replace.corr");
    write_bytes(path, "old contents", 12);
    write_sample(path);
    assert_int_equal(cr_netfile_map(&f, path, &err), CR_OK);
    check_sample_sections(&f);
    cr_netfile_unmap(&f);
    unlink(path);
}

/* ---- damaged files -------------------------------------------------------------------------- */

static void
truncated_every_cut(void **state)
{
    size_t len;
    unsigned char *buf = sample_bytes(&len);
    struct cr_error err;
    (void)state;
    for (size_t cut = 0; cut < len; cut++) {
        err = (struct cr_error){ 0 };
        enum cr_status rc = check_copy(buf, cut, &err);
        if (rc == CR_OK)
            fail_msg("cut at %zu of %zu bytes accepted", cut, len);
        if (strncmp(err.msg, "x.corr: ", 8) != 0)
            fail_msg("cut at %zu: message \"%s\" does not name the file", cut, err.msg);
        if (cut >= 32 && !strstr(err.msg, "truncated"))
            fail_msg("cut at %zu: message \"%s\" does not say truncated", cut, err.msg);
    }

    /* the same through a file on disk */
    char path[PATH_MAX];
    struct cr_netfile f;
    path_in_dir(path, sizeof path, "cut.corr");
    const size_t cuts[] = { 1, 7, 8, 31, 32, 100, 320, len / 2, len - 1 };
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        write_bytes(path, buf, cuts[i]);
        assert_int_not_equal(cr_netfile_map(&f, path, &err), CR_OK);
        assert_int_equal(err.code, CR_EFORMAT);
        assert_non_null(strstr(err.msg, "cut.corr: "));
        assert_null(f.data);
    }
    unlink(path);
    free(buf);
}

static void
trailing_data(void **state)
{
    size_t len;
    unsigned char *buf = sample_bytes(&len);
    struct cr_error err = { 0 };
    (void)state;
    unsigned char *longer = calloc(1, len + 1);
    assert_non_null(longer);
    memcpy(longer, buf, len);
    assert_error(check_copy(longer, len + 1, &err), err, CR_EFORMAT, "x.corr: trailing data");
    free(longer);
    free(buf);
}

static void
flipped_payload_byte(void **state)
{
    size_t len;
    unsigned char *buf = sample_bytes(&len);
    struct cr_error err = { 0 };
    (void)state;
    assert_int_equal(check_copy(buf, len, &err), CR_OK);
    struct cr_netfile_section c;
    memcpy(&c, buf + SECTION_FIELD(2, name), sizeof c);
    assert_string_equal(c.name, "c.i64");
    for (uint64_t i = c.offset; i < c.offset + c.size; i++) {
        buf[i] ^= 0x10;
        assert_error(check_copy(buf, len, &err), err, CR_ECHECKSUM,
                     "x.corr: section c.i64: checksum mismatch (file damaged)");
        buf[i] ^= 0x10;
    }
    assert_int_equal(check_copy(buf, len, &err), CR_OK);
    free(buf);
}

/* Every single-bit flip in the header and table: never a crash or a read outside the buffer;
 * an error naming the file, or a file that still checks (a renamed section, a new minor, a
 * reserved field, an empty section moved). Magic, major, endian and file_size always fail. */
static void
flipped_header_bits(void **state)
{
    size_t len;
    unsigned char *buf = sample_bytes(&len);
    struct cr_error err;
    (void)state;
    for (size_t i = 0; i < SECTION_FIELD(5, name); i++) {
        const int key = i < 10 || (i >= 12 && i < 16) || (i >= 24 && i < 32);
        for (int bit = 0; bit < 8; bit++) {
            buf[i] ^= (unsigned char)(1u << bit);
            err = (struct cr_error){ 0 };
            enum cr_status rc = check_copy(buf, len, &err);
            if (rc == CR_OK && key)
                fail_msg("flip of byte %zu bit %d accepted", i, bit);
            if (rc != CR_OK && strncmp(err.msg, "x.corr: ", 8) != 0)
                fail_msg("flip of byte %zu bit %d: message \"%s\"", i, bit, err.msg);
            buf[i] ^= (unsigned char)(1u << bit);
        }
    }
    free(buf);
}

static void
wrong_magic(void **state)
{
    size_t len;
    unsigned char *buf = sample_bytes(&len);
    struct cr_error err = { 0 };
    (void)state;
    buf[0] = 'X';
    assert_error(check_copy(buf, len, &err), err, CR_EFORMAT,
                 "x.corr: not a corridor network file");
    assert_error(check_copy((const unsigned char *)"PK\3\4", 4, &err), err, CR_EFORMAT,
                 "x.corr: not a corridor network file");
    free(buf);
}

static void
major_version_2(void **state)
{
    size_t len;
    unsigned char *buf = sample_bytes(&len);
    struct cr_error err = { 0 };
    struct cr_netfile f;
    char path[PATH_MAX];
    (void)state;
    const uint16_t major = 2, minor = 0;
    patch(buf, offsetof(struct cr_netfile_header, major), &major, 2);
    patch(buf, offsetof(struct cr_netfile_header, minor), &minor, 2);
    path_in_dir(path, sizeof path, "v2.corr");
    write_bytes(path, buf, len);
    assert_int_equal(cr_netfile_map(&f, path, &err), CR_EVERSION);
    char want[PATH_MAX + 100];
    snprintf(want, sizeof want,
             "%s: network format version 2.0, this corridor reads 1.x; re-import it", path);
    assert_string_equal(err.msg, want);
    unlink(path);
    free(buf);
}

static void
newer_minor_loads(void **state)
{
    size_t len;
    unsigned char *buf = sample_bytes(&len);
    struct cr_error err = { 0 };
    (void)state;
    const uint16_t minor = 7;
    patch(buf, offsetof(struct cr_netfile_header, minor), &minor, 2);
    assert_int_equal(check_copy(buf, len, &err), CR_OK);
    free(buf);
}

/* Format 1.1: the header and table checksum finds what the payload checksums cannot: one
 * section fewer in the count, a flipped bit in a name's padding or in a section's crc field
 * alone is found too; a file of minor 0 (no table checksum, 0 in its place) still loads. */
static void
table_checksum(void **state)
{
    size_t len;
    unsigned char *buf = sample_bytes(&len);
    struct cr_error err = { 0 };
    struct cr_netfile_header h;
    (void)state;
    memcpy(&h, buf, sizeof h);
    assert_int_equal(h.minor, 1);
    assert_int_equal(h.table_crc32, cr_netfile_table_crc(buf, h.section_count));
    const uint32_t fewer = h.section_count - 1;
    patch(buf, offsetof(struct cr_netfile_header, section_count), &fewer, 4);
    assert_error(check_copy(buf, len, &err), err, CR_ECHECKSUM,
                 "x.corr: header or section table: checksum mismatch (file damaged)");
    patch(buf, offsetof(struct cr_netfile_header, section_count), &h.section_count, 4);
    for (size_t i = 0; i < SECTION_FIELD(h.section_count, name); i++) {
        if (i == offsetof(struct cr_netfile_header, minor) ||
            i == offsetof(struct cr_netfile_header, minor) + 1)
            continue; /* a newer minor loads; 0 turns the check off, harmlessly */
        buf[i] ^= 0x01;
        assert_int_not_equal(check_copy(buf, len, &err), CR_OK);
        buf[i] ^= 0x01;
    }
    const uint16_t minor0 = 0;
    const uint32_t none = 0;
    patch(buf, offsetof(struct cr_netfile_header, minor), &minor0, 2);
    patch(buf, offsetof(struct cr_netfile_header, table_crc32), &none, 4);
    assert_int_equal(check_copy(buf, len, &err), CR_OK);
    buf[SECTION_FIELD(0, name) + CR_NETFILE_NAME_MAX - 1] ^= 0x01; /* minor 0: not looked at */
    assert_int_equal(check_copy(buf, len, &err), CR_OK);
    free(buf);
}

static void
other_endian(void **state)
{
    size_t len;
    unsigned char *buf = sample_bytes(&len);
    struct cr_error err = { 0 };
    (void)state;
    const uint32_t swapped = 0x04030201u;
    patch(buf, offsetof(struct cr_netfile_header, endian), &swapped, 4);
    assert_error(check_copy(buf, len, &err), err, CR_EFORMAT, "x.corr: byte-order mark");
    free(buf);
}

static void
section_out_of_range(void **state)
{
    size_t len;
    unsigned char *buf = sample_bytes(&len);
    struct cr_error err = { 0 };
    uint64_t offset, size, saved_offset, saved_size;
    (void)state;
    memcpy(&saved_offset, buf + SECTION_FIELD(1, offset), 8);
    memcpy(&saved_size, buf + SECTION_FIELD(1, size), 8);

    offset = (len + 63) / 64 * 64; /* just past the end, aligned */
    patch(buf, SECTION_FIELD(1, offset), &offset, 8);
    assert_error(check_copy(buf, len, &err), err, CR_EFORMAT, "x.corr: section b.empty: ");
    assert_non_null(strstr(err.msg, "outside"));

    offset = 64 * 100; /* inside, but the size wraps around */
    size = UINT64_MAX - 10;
    patch(buf, SECTION_FIELD(1, offset), &offset, 8);
    patch(buf, SECTION_FIELD(1, size), &size, 8);
    assert_error(check_copy(buf, len, &err), err, CR_EFORMAT, "outside");

    offset = 330; /* not aligned */
    size = 0;
    patch(buf, SECTION_FIELD(1, offset), &offset, 8);
    patch(buf, SECTION_FIELD(1, size), &size, 8);
    assert_error(check_copy(buf, len, &err), err, CR_EFORMAT, "not a multiple of 64");

    offset = 0; /* on top of the header */
    patch(buf, SECTION_FIELD(1, offset), &offset, 8);
    assert_error(check_copy(buf, len, &err), err, CR_EFORMAT, "x.corr: section b.empty: offset");

    patch(buf, SECTION_FIELD(1, offset), &saved_offset, 8);
    patch(buf, SECTION_FIELD(1, size), &saved_size, 8);
    assert_int_equal(check_copy(buf, len, &err), CR_OK);
    free(buf);
}

static void
duplicate_section_name(void **state)
{
    size_t len;
    unsigned char *buf = sample_bytes(&len);
    struct cr_error err = { 0 };
    (void)state;
    char name[CR_NETFILE_NAME_MAX] = "a.u32";
    patch(buf, SECTION_FIELD(3, name), name, sizeof name);
    assert_error(check_copy(buf, len, &err), err, CR_EFORMAT,
                 "x.corr: section a.u32 appears twice");
    free(buf);
}

static void
bad_section_name(void **state)
{
    size_t len;
    unsigned char *buf = sample_bytes(&len);
    struct cr_error err = { 0 };
    char name[CR_NETFILE_NAME_MAX];
    (void)state;
    memset(name, 'x', sizeof name); /* no NUL */
    patch(buf, SECTION_FIELD(4, name), name, sizeof name);
    assert_error(check_copy(buf, len, &err), err, CR_EFORMAT, "x.corr: section 4: bad name");
    memset(name, 0, sizeof name); /* empty */
    patch(buf, SECTION_FIELD(4, name), name, sizeof name);
    assert_error(check_copy(buf, len, &err), err, CR_EFORMAT, "x.corr: section 4: bad name");
    memcpy(name, "a\nb", 4); /* control character */
    patch(buf, SECTION_FIELD(4, name), name, sizeof name);
    assert_error(check_copy(buf, len, &err), err, CR_EFORMAT, "x.corr: section 4: bad name");
    free(buf);
}

static void
bad_elem_size(void **state)
{
    size_t len;
    unsigned char *buf = sample_bytes(&len);
    struct cr_error err = { 0 };
    uint32_t elem;
    (void)state;
    elem = 0;
    patch(buf, SECTION_FIELD(0, elem_size), &elem, 4);
    assert_error(check_copy(buf, len, &err), err, CR_EFORMAT,
                 "x.corr: section a.u32: element size 0");
    elem = 3; /* 4000 bytes % 3 != 0 */
    patch(buf, SECTION_FIELD(0, elem_size), &elem, 4);
    assert_error(check_copy(buf, len, &err), err, CR_EFORMAT,
                 "x.corr: section a.u32: 4000 bytes not a multiple of element size 3");
    free(buf);
}

static void
bad_section_count(void **state)
{
    size_t len;
    unsigned char *buf = sample_bytes(&len);
    struct cr_error err = { 0 };
    uint32_t count;
    (void)state;
    count = CR_NETFILE_MAX_SECTIONS + 1;
    patch(buf, offsetof(struct cr_netfile_header, section_count), &count, 4);
    assert_error(check_copy(buf, len, &err), err, CR_EFORMAT, "x.corr: 257 sections, at most 256");
    count = UINT32_MAX;
    patch(buf, offsetof(struct cr_netfile_header, section_count), &count, 4);
    assert_int_equal(check_copy(buf, len, &err), CR_EFORMAT);

    /* a table longer than the file: header only, claiming 1 section */
    struct cr_netfile_header h = { .magic = CR_NETFILE_MAGIC,
                                   .major = CR_NETFILE_MAJOR,
                                   .endian = CR_NETFILE_ENDIAN,
                                   .section_count = 1,
                                   .file_size = sizeof h };
    assert_error(check_copy((const unsigned char *)&h, sizeof h, &err), err, CR_EFORMAT,
                 "x.corr: truncated: section table needs 80 bytes, file has 32");
    free(buf);
}

static void
lookup_errors(void **state)
{
    size_t len;
    unsigned char *buf = sample_bytes(&len);
    struct cr_netfile f;
    struct cr_error err = { 0 };
    uint64_t count = 99;
    (void)state;
    assert_int_equal(cr_netfile_init_mem(&f, buf, len, "mem.corr", &err), CR_OK);
    assert_null(cr_netfile_section(&f, "a.u32", 8, &count, &err));
    assert_int_equal(count, 0);
    assert_error(CR_EFORMAT, err, CR_EFORMAT,
                 "mem.corr: section a.u32: element size 4, expected 8");
    assert_null(cr_netfile_section(&f, "a.u3", 4, &count, &err)); /* no prefix match */
    assert_error(CR_ENOTFOUND, err, CR_ENOTFOUND, "mem.corr: no section a.u3");
    free(buf);
}

static void
init_mem_misaligned(void **state)
{
    size_t len;
    unsigned char *buf = sample_bytes(&len);
    struct cr_netfile f;
    struct cr_error err = { 0 };
    (void)state;
    unsigned char *shifted = malloc(len + 8);
    assert_non_null(shifted);
    memcpy(shifted + 4, buf, len);
    assert_error(cr_netfile_init_mem(&f, shifted + 4, len, "odd", &err), err, CR_EINVAL,
                 "odd: data not 8-byte aligned");
    assert_int_equal(cr_netfile_check(shifted + 4, len, "odd", &err), CR_OK); /* check copes */
    free(shifted);
    free(buf);
}

/* ---- files that are not there or not files -------------------------------------------------- */

static void
map_errors(void **state)
{
    char path[PATH_MAX], want[PATH_MAX + 64];
    struct cr_netfile f;
    struct cr_error err = { 0 };
    (void)state;
    path_in_dir(path, sizeof path, "missing.corr");
    assert_int_equal(cr_netfile_map(&f, path, &err), CR_EIO);
    snprintf(want, sizeof want, "%s: No such file or directory", path);
    assert_string_equal(err.msg, want);

    path_in_dir(path, sizeof path, "empty.corr");
    write_bytes(path, "", 0);
    assert_int_equal(cr_netfile_map(&f, path, &err), CR_EFORMAT);
    snprintf(want, sizeof want, "%s: empty file", path);
    assert_string_equal(err.msg, want);
    unlink(path);

    assert_int_equal(cr_netfile_map(&f, dir, &err), CR_EIO);
    snprintf(want, sizeof want, "%s: not a regular file", dir);
    assert_string_equal(err.msg, want);

    path_in_dir(path, sizeof path, "text.corr");
    write_bytes(path, "hello, world\n", 13);
    assert_error(cr_netfile_map(&f, path, &err), err, CR_EFORMAT, "not a corridor network file");
    assert_non_null(strstr(err.msg, "text.corr: "));
    unlink(path);
}

/* ---- writer errors and crash safety --------------------------------------------------------- */

static void
writer_add_errors(void **state)
{
    char path[PATH_MAX];
    struct cr_error err = { 0 };
    uint32_t x = 1;
    (void)state;
    path_in_dir(path, sizeof path, "add.corr");
    struct cr_netfile_writer *w = cr_netfile_writer_create(path, &err);
    assert_non_null(w);
    assert_int_equal(cr_netfile_writer_add(w, "", &x, 4, 1, &err), CR_EINVAL);
    assert_int_equal(cr_netfile_writer_add(w, "abcdefghijklmnopqrstuvwx", &x, 4, 1, &err),
                     CR_EINVAL); /* 24 characters: no room for the NUL */
    assert_int_equal(cr_netfile_writer_add(w, "abcdefghijklmnopqrstuvw", &x, 4, 1, &err), CR_OK);
    assert_int_equal(cr_netfile_writer_add(w, "has space", &x, 4, 1, &err), CR_EINVAL);
    assert_error(cr_netfile_writer_add(w, "zero", &x, 0, 1, &err), err, CR_EINVAL,
                 "section zero: element size 0");
    assert_error(cr_netfile_writer_add(w, "null", NULL, 4, 1, &err), err, CR_EINVAL,
                 "section null: no data");
    assert_error(cr_netfile_writer_add(w, "huge", &x, 8, UINT64_MAX / 4, &err), err, CR_EINVAL,
                 "too big");
    assert_int_equal(cr_netfile_writer_add(w, "x", &x, 4, 1, &err), CR_OK);
    assert_error(cr_netfile_writer_add(w, "x", &x, 4, 1, &err), err, CR_EINVAL,
                 "section x added twice");
    char name[16];
    for (int i = 2; i < CR_NETFILE_MAX_SECTIONS; i++) {
        snprintf(name, sizeof name, "s%d", i);
        assert_int_equal(cr_netfile_writer_add(w, name, &x, 4, 1, &err), CR_OK);
    }
    assert_error(cr_netfile_writer_add(w, "one.more", &x, 4, 1, &err), err, CR_EINVAL,
                 "more than 256 sections");
    assert_int_equal(cr_netfile_writer_commit(w, &err), CR_OK); /* 256 sections: the limit */
    cr_netfile_writer_destroy(w);
    struct cr_netfile f;
    assert_int_equal(cr_netfile_map(&f, path, &err), CR_OK);
    assert_int_equal(f.header->section_count, 256);
    cr_netfile_unmap(&f);
    unlink(path);
    cr_netfile_writer_destroy(NULL);
}

static void
create_in_missing_folder(void **state)
{
    char path[PATH_MAX];
    struct cr_error err = { 0 };
    (void)state;
    path_in_dir(path, sizeof path, "nowhere/x.corr");
    assert_null(cr_netfile_writer_create(path, &err));
    assert_int_equal(err.code, CR_EIO);
    char want[PATH_MAX * 2 + 64];
    snprintf(want, sizeof want, "%s: cannot write in folder %s/nowhere: No such file or directory",
             path, dir);
    assert_string_equal(err.msg, want);
    path_in_dir(path, sizeof path, "nowhere");
    assert_false(exists(path));
}

static void
create_in_read_only_folder(void **state)
{
    char sub[PATH_MAX], path[PATH_MAX];
    struct cr_error err = { 0 };
    (void)state;
    if (geteuid() == 0)
        skip(); /* root may write anywhere */
    path_in_dir(sub, sizeof sub, "ro");
    assert_int_equal(mkdir(sub, 0555), 0);
    path_in_dir(path, sizeof path, "ro/x.corr");
    assert_null(cr_netfile_writer_create(path, &err));
    assert_error(CR_EIO, err, CR_EIO, "cannot write in folder");
    assert_non_null(strstr(err.msg, "Permission denied"));
    rmdir(sub);
}

static void
commit_into_removed_folder(void **state)
{
    char sub[PATH_MAX], path[PATH_MAX], tmp[PATH_MAX];
    struct cr_error err = { 0 };
    uint32_t x = 7;
    (void)state;
    path_in_dir(sub, sizeof sub, "gone");
    assert_int_equal(mkdir(sub, 0755), 0);
    path_in_dir(path, sizeof path, "gone/x.corr");
    path_in_dir(tmp, sizeof tmp, "gone/x.corr.tmp");
    struct cr_netfile_writer *w = cr_netfile_writer_create(path, &err);
    assert_non_null(w);
    assert_int_equal(cr_netfile_writer_add(w, "x", &x, 4, 1, &err), CR_OK);
    assert_int_equal(rmdir(sub), 0);
    assert_error(cr_netfile_writer_commit(w, &err), err, CR_EIO, "x.corr: cannot create");
    assert_non_null(strstr(err.msg, "No such file or directory"));
    cr_netfile_writer_destroy(w);
    assert_false(exists(path));
    assert_false(exists(tmp));
}

static void
commit_fails_at_rename(void **state)
{
    char path[PATH_MAX], tmp[PATH_MAX];
    struct cr_error err = { 0 };
    uint32_t x = 7;
    (void)state;
    path_in_dir(path, sizeof path, "isdir.corr");
    path_in_dir(tmp, sizeof tmp, "isdir.corr.tmp");
    assert_int_equal(mkdir(path, 0755), 0); /* a folder where the file should go */
    struct cr_netfile_writer *w = cr_netfile_writer_create(path, &err);
    assert_non_null(w);
    assert_int_equal(cr_netfile_writer_add(w, "x", &x, 4, 1, &err), CR_OK);
    assert_error(cr_netfile_writer_commit(w, &err), err, CR_EIO, "isdir.corr: cannot rename");
    assert_false(exists(tmp)); /* removed at once, not only by destroy */
    cr_netfile_writer_destroy(w);
    assert_false(exists(tmp));
    rmdir(path);
}

/* Whether the run's folder holds a file whose name starts with PREFIX (a writer's temporary
 * file: core/atomic.h names it ".STEM.XXXXXX.corr" beside the destination). */
static int
has_entry_starting(const char *prefix)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int found = 0;
    assert_non_null(d);
    while ((de = readdir(d)))
        if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
            found = 1;
    closedir(d);
    return found;
}

static void
uncommitted_writer_keeps_original(void **state)
{
    char path[PATH_MAX], tmp[PATH_MAX];
    struct cr_error err = { 0 };
    struct cr_netfile f;
    uint32_t junk[4] = { 1, 2, 3, 4 };
    (void)state;
    path_in_dir(path, sizeof path, "keep.corr");
    path_in_dir(tmp, sizeof tmp, "keep.corr.tmp");
    write_sample(path);

    /* a second writer that never commits */
    struct cr_netfile_writer *w = cr_netfile_writer_create(path, &err);
    assert_non_null(w);
    assert_int_equal(cr_netfile_writer_add(w, "a.u32", junk, 4, 4, &err), CR_OK);
    cr_netfile_writer_destroy(w);
    assert_false(exists(tmp));
    assert_false(has_entry_starting(".keep."));

    /* a writer whose commit fails (writing the temporary file hits the file size limit):
     * the temporary file goes at once, the original stays */
    struct rlimit old_limit, small = { .rlim_cur = 64, .rlim_max = RLIM_INFINITY };
    void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old_limit), 0);
    small.rlim_max = old_limit.rlim_max;
    w = cr_netfile_writer_create(path, &err);
    assert_non_null(w);
    assert_int_equal(cr_netfile_writer_add(w, "a.u32", junk, 4, 4, &err), CR_OK);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    enum cr_status st = cr_netfile_writer_commit(w, &err);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old_limit), 0);
    signal(SIGXFSZ, old_handler);
    assert_error(st, err, CR_EIO, "keep.corr: cannot write");
    assert_false(has_entry_starting(".keep."));
    cr_netfile_writer_destroy(w);

    assert_int_equal(cr_netfile_map(&f, path, &err), CR_OK);
    check_sample_sections(&f);
    cr_netfile_unmap(&f);
    unlink(path);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(crc32_known_vectors),
        cmocka_unit_test(crc32_matches_reference),
        cmocka_unit_test(round_trip_map),
        cmocka_unit_test(round_trip_mem),
        cmocka_unit_test(no_sections),
        cmocka_unit_test(replaces_existing_file),
        cmocka_unit_test(truncated_every_cut),
        cmocka_unit_test(trailing_data),
        cmocka_unit_test(flipped_payload_byte),
        cmocka_unit_test(flipped_header_bits),
        cmocka_unit_test(wrong_magic),
        cmocka_unit_test(major_version_2),
        cmocka_unit_test(newer_minor_loads),
        cmocka_unit_test(table_checksum),
        cmocka_unit_test(other_endian),
        cmocka_unit_test(section_out_of_range),
        cmocka_unit_test(duplicate_section_name),
        cmocka_unit_test(bad_section_name),
        cmocka_unit_test(bad_elem_size),
        cmocka_unit_test(bad_section_count),
        cmocka_unit_test(lookup_errors),
        cmocka_unit_test(init_mem_misaligned),
        cmocka_unit_test(map_errors),
        cmocka_unit_test(writer_add_errors),
        cmocka_unit_test(create_in_missing_folder),
        cmocka_unit_test(create_in_read_only_folder),
        cmocka_unit_test(commit_into_removed_folder),
        cmocka_unit_test(commit_fails_at_rename),
        cmocka_unit_test(uncommitted_writer_keeps_original),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
