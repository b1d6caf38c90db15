// The thin libosmium shim: osmium objects in, borrowed C views out. Nothing else lives here;
// what tags mean is C (osm_tags.c).
#include "importers/osm/osm_reader.h"

#include <cerrno>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>
#include <sys/stat.h>
#include <system_error>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

// GCC 12 at -O2 sees Builder::set_user("") in the area assembler as reading past an empty
// string (-Wstringop-overread, a false positive inside libosmium)
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-overread"
#endif
#include <osmium/area/assembler.hpp>
#include <osmium/area/multipolygon_manager.hpp>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
#include <osmium/handler/node_locations_for_ways.hpp>
#include <osmium/index/map/flex_mem.hpp>
#include <osmium/io/any_input.hpp>
#include <osmium/osm/area.hpp>
#include <osmium/osm/item_type.hpp>
#include <osmium/osm/node.hpp>
#include <osmium/osm/relation.hpp>
#include <osmium/osm/way.hpp>
#include <osmium/relations/manager_util.hpp>
#include <osmium/tags/tags_filter.hpp>
#include <osmium/visitor.hpp>

namespace
{

struct Stop {
};

// Debian 12's libosmium (2.19) copies a PBF string holding a NUL byte as it is, and its tag
// iterator, which finds each key and value with strlen, then walks past the end of the tag list
// (and of the buffer: found by tests/fuzz/fuzz_osm_pbf.c). Every object is checked before its
// tags are read: its tag list must split into whole key and value pairs within its bytes.
void
check_tags(const osmium::OSMObject &o)
{
    const osmium::TagList &tl = o.tags();
    const char *p = reinterpret_cast<const char *>(tl.data()) + sizeof(osmium::TagList);
    const char *end = reinterpret_cast<const char *>(tl.data()) + tl.byte_size();
    while (p < end)
        for (int i = 0; i < 2; i++) { // key, then value
            const void *nul = std::memchr(p, '\0', static_cast<size_t>(end - p));
            if (!nul)
                throw std::runtime_error{ "a tag holds a NUL byte" };
            p = static_cast<const char *>(nul) + 1;
        }
}

// A handler that runs check_tags on every object, before the handlers after it see them.
class TagCheck : public osmium::handler::Handler
{
  public:
    void osm_object(const osmium::OSMObject &o)
    {
        check_tags(o);
    }
};

osmium::osm_entity_bits::type
wanted(const cr_osm_handler *h)
{
    auto bits = osmium::osm_entity_bits::nothing;
    if (h->node)
        bits |= osmium::osm_entity_bits::node;
    if (h->way)
        bits |= osmium::osm_entity_bits::way;
    if (h->relation)
        bits |= osmium::osm_entity_bits::relation;
    return bits;
}

class Flattener
{
  public:
    explicit Flattener(const cr_osm_handler *h) : h_{ h }
    {
    }

    void node(const osmium::Node &n)
    {
        if (!n.location().valid())
            return;
        cr_osm_node v{};
        v.id = n.id();
        v.lon_e7 = n.location().x();
        v.lat_e7 = n.location().y();
        v.timestamp = n.timestamp().seconds_since_epoch();
        fill_tags(n.tags());
        v.tags = tags_.data();
        v.tag_count = tags_.size();
        if (h_->node(h_->user, &v))
            throw Stop{};
    }

    void way(const osmium::Way &w)
    {
        cr_osm_way v{};
        v.id = w.id();
        v.timestamp = w.timestamp().seconds_since_epoch();
        fill_tags(w.tags());
        refs_.clear();
        for (const auto &nr : w.nodes())
            refs_.push_back(nr.ref());
        v.tags = tags_.data();
        v.tag_count = tags_.size();
        v.refs = refs_.data();
        v.ref_count = refs_.size();
        if (h_->way(h_->user, &v))
            throw Stop{};
    }

    void relation(const osmium::Relation &r)
    {
        cr_osm_relation v{};
        v.id = r.id();
        v.timestamp = r.timestamp().seconds_since_epoch();
        fill_tags(r.tags());
        members_.clear();
        for (const auto &m : r.members()) {
            cr_osm_member cm{};
            switch (m.type()) {
            case osmium::item_type::node:
                cm.type = CR_OSM_MEMBER_NODE;
                break;
            case osmium::item_type::way:
                cm.type = CR_OSM_MEMBER_WAY;
                break;
            default:
                cm.type = CR_OSM_MEMBER_RELATION;
                break;
            }
            cm.ref = m.ref();
            cm.role = m.role();
            members_.push_back(cm);
        }
        v.tags = tags_.data();
        v.tag_count = tags_.size();
        v.members = members_.data();
        v.member_count = members_.size();
        if (h_->relation(h_->user, &v))
            throw Stop{};
    }

  private:
    void fill_tags(const osmium::TagList &tl)
    {
        tags_.clear();
        for (const auto &t : tl)
            tags_.push_back(cr_osm_tag{ t.key(), t.value() });
    }

    const cr_osm_handler *h_;
    std::vector<cr_osm_tag> tags_;
    std::vector<int64_t> refs_;
    std::vector<cr_osm_member> members_;
};

cr_status
read_all(const osmium::io::File &file, const cr_osm_handler *h)
{
    osmium::io::Reader reader{ file, wanted(h) };
    Flattener flattener{ h };
    const double size = static_cast<double>(reader.file_size());

    while (osmium::memory::Buffer buffer = reader.read()) {
        for (const auto &item : buffer) {
            if (item.type() >= osmium::item_type::node &&
                item.type() <= osmium::item_type::relation)
                check_tags(static_cast<const osmium::OSMObject &>(item));
            switch (item.type()) {
            case osmium::item_type::node:
                if (h->node)
                    flattener.node(static_cast<const osmium::Node &>(item));
                break;
            case osmium::item_type::way:
                if (h->way)
                    flattener.way(static_cast<const osmium::Way &>(item));
                break;
            case osmium::item_type::relation:
                if (h->relation)
                    flattener.relation(static_cast<const osmium::Relation &>(item));
                break;
            default:
                break;
            }
        }
        if (h->progress && size > 0 &&
            h->progress(h->user, static_cast<double>(reader.offset()) / size))
            throw Stop{};
    }
    reader.close();
    return CR_OK;
}

// Old-style multipolygons (tags on the outer way, the relation tagged only type=multipolygon;
// common before 2017, still in old extracts): libosmium's Assembler gives their areas no tags,
// and builds their tagged outer way as an area of its own, without the holes. The shim finds
// them in a first look at the relations, lends each relation's area the tags of its outer
// way(s), and leaves out the outer ways' own areas when the relation made one, as GDAL's OSM
// driver does.
struct OldStyle {
    std::unordered_map<int64_t, std::vector<int64_t>> outers; // relation id -> outer way ids
    std::unordered_set<int64_t> outer_ways;
    std::unordered_map<int64_t, std::vector<std::pair<std::string, std::string>>> way_tags;
};

OldStyle
find_old_style(const osmium::io::File &file)
{
    OldStyle old;
    osmium::io::Reader reader{ file, osmium::osm_entity_bits::relation, osmium::io::read_meta::no };
    while (osmium::memory::Buffer buffer = reader.read()) {
        for (const auto &r : buffer.select<osmium::Relation>()) {
            check_tags(r); // every relation, before pass 1 reads them again
            const char *type = r.tags().get_value_by_key("type");
            if (r.tags().size() != 1 || !type || std::strcmp(type, "multipolygon") != 0)
                continue;
            auto &ways = old.outers[r.id()];
            for (const auto &m : r.members())
                if (m.type() == osmium::item_type::way &&
                    (!std::strcmp(m.role(), "outer") || !*m.role())) {
                    ways.push_back(m.ref());
                    old.outer_ways.insert(m.ref());
                }
        }
    }
    reader.close();
    return old;
}

// Keeps the tags of old-style outer ways, read before the manager needs them.
class OuterTags : public osmium::handler::Handler
{
  public:
    explicit OuterTags(OldStyle &old) : old_{ old }
    {
    }

    void way(const osmium::Way &w)
    {
        if (!old_.outer_ways.count(w.id()))
            return;
        auto &tags = old_.way_tags[w.id()];
        for (const auto &t : w.tags())
            tags.emplace_back(t.key(), t.value());
    }

  private:
    OldStyle &old_;
};

// Areas (osmium::Area) -> struct cr_osm_area: rings flattened, outer then its inners.
class AreaFlattener : public osmium::handler::Handler
{
  public:
    AreaFlattener(const cr_osm_area_handler *h, const OldStyle &old) : h_{ h }, old_{ old }
    {
    }

    void area(const osmium::Area &a)
    {
        if (a.from_way() && old_.outer_ways.count(a.orig_id())) {
            deferred_.add_item(a); // an old-style outer way: wait for its relation's area
            deferred_.commit();
            return;
        }
        flatten(a);
    }

    // the deferred outer ways whose old-style relation gave no area of its own
    void finish()
    {
        for (const auto &a : deferred_.select<osmium::Area>())
            if (!covered_.count(a.orig_id()))
                flatten(a);
    }

    // a multipolygon relation the extract holds only part of: reported broken, unless it is
    // old-style (its outer ways then stand as areas of their own, see finish)
    void incomplete(const osmium::Relation &r)
    {
        if (old_.outers.count(r.id()))
            return;
        points_.clear();
        first_.assign(1, 0);
        outer_.clear();
        fill_tags(r.tags());
        lend_outer_tags(r.id());
        emit(r.id() * 2 + 1, 0);
    }

  private:
    void flatten(const osmium::Area &a)
    {
        points_.clear();
        first_.clear();
        outer_.clear();
        bool broken = false;
        for (const auto &outer : a.outer_rings()) {
            broken |= add_ring(outer, 1);
            for (const auto &inner : a.inner_rings(outer))
                broken |= add_ring(inner, 0);
        }
        if (broken) {
            points_.clear();
            first_.clear();
            outer_.clear();
        }
        const size_t rings = first_.size();
        first_.push_back(points_.size() / 2);
        fill_tags(a.tags());
        if (!a.from_way() && lend_outer_tags(a.orig_id()) && rings > 0)
            for (int64_t way_id : old_.outers.at(a.orig_id()))
                covered_.insert(way_id);
        emit(a.id(), rings);
    }

    template <typename TRing> bool add_ring(const TRing &ring, unsigned char outer)
    {
        first_.push_back(points_.size() / 2);
        outer_.push_back(outer);
        for (const auto &nr : ring) {
            if (!nr.location().valid())
                return true;
            points_.push_back(nr.location().x());
            points_.push_back(nr.location().y());
        }
        return false;
    }

    void fill_tags(const osmium::TagList &tl)
    {
        tags_.clear();
        for (const auto &t : tl)
            tags_.push_back(cr_osm_tag{ t.key(), t.value() });
    }

    // an old-style relation: the tags of its first tagged outer way; false when not old-style
    bool lend_outer_tags(int64_t relation_id)
    {
        auto it = old_.outers.find(relation_id);
        if (it == old_.outers.end())
            return false;
        for (int64_t way_id : it->second) {
            auto tags = old_.way_tags.find(way_id);
            if (tags == old_.way_tags.end() || tags->second.empty())
                continue;
            tags_.clear();
            for (const auto &t : tags->second)
                tags_.push_back(cr_osm_tag{ t.first.c_str(), t.second.c_str() });
            break;
        }
        return true;
    }

    void emit(int64_t id, size_t rings)
    {
        cr_osm_area v{};
        v.id = id;
        v.tags = tags_.data();
        v.tag_count = tags_.size();
        v.lon_lat_e7 = points_.data();
        v.point_count = points_.size() / 2;
        v.ring_first = first_.data();
        v.ring_outer = outer_.data();
        v.ring_count = rings;
        if (h_->area(h_->user, &v))
            throw Stop{};
    }

    const cr_osm_area_handler *h_;
    const OldStyle &old_;
    osmium::memory::Buffer deferred_{ 4096, osmium::memory::Buffer::auto_grow::yes };
    std::unordered_set<int64_t> covered_; // outer ways of old-style relations that made an area
    std::vector<cr_osm_tag> tags_;
    std::vector<int32_t> points_;
    std::vector<size_t> first_;
    std::vector<unsigned char> outer_;
};

cr_status
read_areas(const char *path, const char *const *keys, const cr_osm_area_handler *h)
{
    osmium::io::File file{ path };
    OldStyle old = find_old_style(file); // pass 0: relations only, cheap

    osmium::TagsFilter filter{ keys == nullptr };
    for (; keys && *keys; keys++)
        filter.add_rule(true, osmium::TagMatcher{ *keys });
    if (!old.outers.empty()) // their relations carry only type=multipolygon
        filter.add_rule(true, osmium::TagMatcher{ "type", "multipolygon" });
    osmium::area::Assembler::config_type config;
    config.ignore_invalid_locations = true; // clipped extracts: broken areas, not exceptions
    osmium::area::MultipolygonManager<osmium::area::Assembler> manager{ config, filter };
    osmium::relations::read_relations(file, manager); // pass 1: multipolygon relations

    using Index = osmium::index::map::FlexMem<osmium::unsigned_object_id_type, osmium::Location>;
    Index index;
    osmium::handler::NodeLocationsForWays<Index> locations{ index };
    locations.ignore_errors();
    OuterTags outer_tags{ old };
    AreaFlattener flattener{ h, old };
    osmium::io::Reader reader{ file, osmium::io::read_meta::no }; // pass 2: assemble
    TagCheck tag_check;
    osmium::apply(reader, tag_check, locations, outer_tags,
                  manager.handler([&flattener](osmium::memory::Buffer &&buffer) {
                      osmium::apply(buffer, flattener);
                  }));
    reader.close();
    manager.for_each_incomplete_relation(
        [&](const osmium::relations::RelationHandle &handle) { flattener.incomplete(*handle); });
    flattener.finish();
    return CR_OK;
}

// Whether PATH is a non-empty file: CR_OK, or the error.
cr_status
check_path(const char *path, cr_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return cr_error_set(err, CR_EIO, "%s: %s", path, std::strerror(errno));
    if (S_ISDIR(st.st_mode))
        return cr_error_set(err, CR_EIO, "%s: is a folder, not an OSM file", path);
    if (st.st_size == 0)
        return cr_error_set(err, CR_EEMPTY, "%s: empty file", path);
    return CR_OK;
}

// Runs READ and turns its exceptions into errors naming PATH (stop_err: see cr_osm_read).
template <typename TRead>
cr_status
guarded(const char *path, const cr_error *stop_err, cr_error *err, TRead &&read)
try {
    return read();
} catch (const Stop &) {
    if (stop_err && stop_err->code != CR_OK) {
        if (err && err != stop_err)
            *err = *stop_err;
        return stop_err->code;
    }
    return cr_error_set(err, CR_ECANCELLED, "%s: stopped by caller", path);
} catch (const std::bad_alloc &) {
    return cr_error_set(err, CR_ENOMEM, "%s: out of memory", path);
} catch (const std::system_error &e) {
    return cr_error_set(err, CR_EIO, "%s: %s", path, e.what());
} catch (const std::exception &e) {
    return cr_error_set(err, CR_EFORMAT, "%s: not a readable OSM file: %s", path, e.what());
} catch (...) {
    return cr_error_set(err, CR_EINTERNAL, "%s: unknown C++ exception", path);
}

} // namespace

extern "C" cr_status
cr_osm_read_areas(const char *path, const char *const *keys, const cr_osm_area_handler *h,
                  cr_error *err)
{
    if (cr_status st = check_path(path, err))
        return st;
    return guarded(path, h->stop_err, err, [&] { return read_areas(path, keys, h); });
}

extern "C" cr_status
cr_osm_read(const char *path, const cr_osm_handler *h, cr_error *err)
{
    if (cr_status st = check_path(path, err))
        return st;
    return guarded(path, h->stop_err, err, [&] { return read_all(osmium::io::File{ path }, h); });
}

extern "C" cr_status
cr_osm_read_buffer(const void *data, size_t size, const char *format, const char *name,
                   const cr_osm_handler *h, cr_error *err)
{
    if (size == 0)
        return cr_error_set(err, CR_EEMPTY, "%s: empty file", name);
    return guarded(name, h->stop_err, err, [&] {
        return read_all(osmium::io::File{ static_cast<const char *>(data), size, format }, h);
    });
}
