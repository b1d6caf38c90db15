/* Writing a plan map: the Cairo surface for PNG, PDF or SVG, drawn into a temporary file beside
 * the output (core/atomic.h) that is synced and renamed over it only when all went well. */
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corridor/version.h"
#include "render/map_internal.h"
#include "render/png.h"

enum cr_status
cr_map_output_open(struct map *m, struct map_out *out)
{
    memset(out, 0, sizeof *out);
    out->fmt = cr_map_format_of(m->o->output);
    return cr_atomic_open_path(&out->file, m->o->output, m->err);
}

enum cr_status
cr_map_output_surface(struct map *m, struct map_out *out)
{
    const struct cr_map_options *o = m->o;
    const char *tmp = out->file.tmp;

    if (out->fmt == CR_MAP_PNG) {
        int w = o->width_px > 0 ? o->width_px : (int)lround(o->width_pt / 72 * o->dpi);
        int h = o->height_px > 0 ? o->height_px : (int)lround(o->height_pt / 72 * o->dpi);
        if (w < 1 || h < 1 || (double)w * h > 400e6)
            return cr_error_set(m->err, CR_EINVAL, "%s: %d x %d pixels is not a size to draw",
                                o->output, w, h);
        out->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
        m->res->width_px = w;
        m->res->height_px = h;
    } else if (out->fmt == CR_MAP_PDF) {
        out->surface = cairo_pdf_surface_create(tmp, o->width_pt, o->height_pt);
        if (o->title)
            cairo_pdf_surface_set_metadata(out->surface, CAIRO_PDF_METADATA_TITLE, o->title);
        cairo_pdf_surface_set_metadata(out->surface, CAIRO_PDF_METADATA_CREATOR,
                                       "corridor " CORRIDOR_VERSION_STRING);
    } else {
        out->surface = cairo_svg_surface_create(tmp, o->width_pt, o->height_pt);
        cairo_svg_surface_set_document_unit(out->surface, CAIRO_SVG_UNIT_PT);
    }
    if (cairo_surface_status(out->surface) != CAIRO_STATUS_SUCCESS)
        return cr_error_set(m->err, CR_EIO, "%s: cannot draw: %s", o->output,
                            cairo_status_to_string(cairo_surface_status(out->surface)));
    m->cr = cairo_create(out->surface);
    if (out->fmt == CR_MAP_PNG)
        cairo_scale(m->cr, (double)m->res->width_px / o->width_pt,
                    (double)m->res->height_px / o->height_pt);
    return CR_OK;
}

/* SVG: the recorded <text> elements go before the closing tag. */
static enum cr_status
svg_insert_text(const char *tmp, const char *elements, const char *path, struct cr_error *err)
{
    FILE *f = fopen(tmp, "rb");
    char *buf = NULL, *end;
    long size;
    enum cr_status st = CR_OK;

    if (!f)
        return cr_error_set(err, CR_EIO, "%s: cannot read back: %s", path, strerror(errno));
    if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
        fclose(f);
        return cr_error_set(err, CR_EIO, "%s: cannot read back", path);
    }
    buf = malloc((size_t)size + 1);
    if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
        fclose(f);
        free(buf);
        return cr_error_set(err, CR_EIO, "%s: cannot read back", path);
    }
    fclose(f);
    buf[size] = 0;
    end = strstr(buf, "</svg>");
    for (char *next = end; next; next = strstr(next + 1, "</svg>"))
        end = next;
    if (!end) {
        free(buf);
        return cr_error_set(err, CR_EINTERNAL, "%s: cairo wrote no </svg>", path);
    }
    f = fopen(tmp, "wb");
    if (!f) {
        free(buf);
        return cr_error_set(err, CR_EIO, "%s: cannot write: %s", path, strerror(errno));
    }
    fwrite(buf, 1, (size_t)(end - buf), f);
    fputs("<g id=\"text\">\n", f);
    fputs(elements, f);
    fputs("</g>\n", f);
    fputs(end, f);
    if (fclose(f))
        st = cr_error_set(err, CR_EIO, "%s: cannot write: %s", path, strerror(errno));
    free(buf);
    return st;
}

enum cr_status
cr_map_output_finish(struct map *m, struct map_out *out)
{
    const char *output = m->o->output;
    enum cr_status st;

    if (cairo_status(m->cr) != CAIRO_STATUS_SUCCESS)
        return cr_error_set(m->err, CR_EINTERNAL, "%s: cairo: %s", output,
                            cairo_status_to_string(cairo_status(m->cr)));
    cairo_destroy(m->cr);
    m->cr = NULL;
    if (out->fmt == CR_MAP_PNG) {
        if ((st = cr_png_write(out->surface, out->file.tmp, output, m->err)))
            return st;
    } else {
        cairo_surface_finish(out->surface);
        if (cairo_surface_status(out->surface) != CAIRO_STATUS_SUCCESS)
            return cr_error_set(m->err, CR_EIO, "%s: cannot write: %s", output,
                                cairo_status_to_string(cairo_surface_status(out->surface)));
    }
    if (out->fmt == CR_MAP_SVG) {
        if (m->text.failed)
            return cr_map_oom(m);
        if ((st = svg_insert_text(out->file.tmp, cr_text_svg_elements(&m->text), output, m->err)))
            return st;
    }
    cairo_surface_destroy(out->surface);
    out->surface = NULL;
    return cr_atomic_commit(&out->file, m->err);
}

void
cr_map_output_abort(struct map_out *out)
{
    if (out->surface)
        cairo_surface_destroy(out->surface);
    out->surface = NULL;
    cr_atomic_abort(&out->file);
}
