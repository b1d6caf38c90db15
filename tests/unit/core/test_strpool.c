/* core/strpool and core/heap: the string interner (one copy per string, offsets into one buffer,
 * "" at 0, growth keeps every offset) and the 4-ary heap (pops in key order, decrease-key). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/heap.h"
#include "core/strpool.h"

static void
intern_once(void **state)
{
    struct cr_strpool p;
    (void)state;
    assert_int_equal(cr_strpool_init(&p), 0);
    assert_int_equal(cr_strpool_intern(&p, NULL), 0);
    assert_int_equal(cr_strpool_intern(&p, ""), 0);
    uint32_t a = cr_strpool_intern(&p, "Main Street");
    uint32_t b = cr_strpool_intern(&p, "Yard");
    assert_int_equal(a, 1);
    assert_int_equal(b, 1 + sizeof "Main Street");
    assert_int_equal(cr_strpool_intern(&p, "Main Street"), a);
    assert_string_equal(cr_strpool_str(&p, a), "Main Street");
    assert_string_equal(cr_strpool_str(&p, 0), "");
    assert_int_equal(p.count, 2);
    assert_int_equal(p.len, 1 + sizeof "Main Street" + sizeof "Yard");
    /* walked in first-interned order */
    uint32_t o = cr_strpool_next(&p, 0);
    assert_int_equal(o, a);
    o = cr_strpool_next(&p, o);
    assert_int_equal(o, b);
    assert_int_equal(cr_strpool_next(&p, o), p.len);
    cr_strpool_fini(&p);
}

static void
intern_many(void **state)
{
    struct cr_strpool p;
    char s[32];
    uint32_t *off = malloc(5000 * sizeof *off);
    (void)state;
    assert_non_null(off);
    assert_int_equal(cr_strpool_init(&p), 0);
    for (int i = 0; i < 5000; i++) { /* past several slot and buffer growths */
        snprintf(s, sizeof s, "name %d", i);
        off[i] = cr_strpool_intern(&p, s);
        assert_int_not_equal(off[i], CR_STRPOOL_NOMEM);
    }
    for (int i = 0; i < 5000; i++) {
        snprintf(s, sizeof s, "name %d", i);
        assert_int_equal(cr_strpool_intern(&p, s), off[i]);
        assert_string_equal(cr_strpool_str(&p, off[i]), s);
    }
    assert_int_equal(p.count, 5000);
    free(off);
    cr_strpool_fini(&p);
    cr_strpool_fini(&p); /* a released pool may be released again */
}

static void
heap_order(void **state)
{
    enum { N = 1000 };
    struct cr_heap_item items[N];
    uint32_t pos[2 * N], key[N];
    struct cr_heap h = { .h = items, .size = 0 };
    (void)state;
    srand(7);
    for (uint32_t x = 0; x < N; x++) { /* stride 2: the positions of side 1 */
        key[x] = (uint32_t)rand() % 100000 + 1000;
        cr_heap_push(&h, pos + 1, 2, x, key[x]);
    }
    for (uint32_t x = 0; x < N; x += 3) { /* every third node gets a smaller key */
        key[x] -= 1000;
        cr_heap_decrease(&h, pos + 1, 2, x, key[x]);
    }
    uint32_t last = 0;
    for (uint32_t i = 0; i < N; i++) {
        struct cr_heap_item top = cr_heap_pop(&h, pos + 1, 2);
        assert_true(top.key >= last);
        assert_int_equal(top.key, key[top.node]);
        assert_int_equal(pos[2 * top.node + 1], CR_HEAP_SETTLED);
        last = top.key;
    }
    assert_int_equal(h.size, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(intern_once),
        cmocka_unit_test(intern_many),
        cmocka_unit_test(heap_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
