/*
 * Fuzz target for the TNTP readers (importers/tntp): the input, as a scratch file in /dev/shm,
 * read as a net, a trips and a flow file in turn.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_util.h"
#include "importers/tntp/tntp.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[256];
    struct cr_error err;
    struct cr_tntp_net net = { 0 };
    struct cr_tntp_trips trips = { 0 };
    struct cr_tntp_flow flow = { 0 };

    if (!fuzz_scratch(data, size, ".tntp", path, sizeof path))
        return 0;
    if (cr_tntp_net_read(path, &net, &err) == CR_OK)
        for (uint32_t i = 0; i < net.link_count; i++)
            if (net.links[i].init_node < 1 || net.links[i].init_node > net.node_count ||
                net.links[i].term_node < 1 || net.links[i].term_node > net.node_count)
                abort();
    cr_tntp_net_fini(&net);
    cr_tntp_trips_read(path, &trips, &err);
    cr_tntp_trips_fini(&trips);
    cr_tntp_flow_read(path, &flow, &err);
    cr_tntp_flow_fini(&flow);
    unlink(path);
    return 0;
}
