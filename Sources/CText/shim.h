// FreeType (rasterizing, stroker), HarfBuzz (shaping), fontconfig (font lookup and
// fallback) and libunibreak (UAX #14 line breaking), gathered for the Swift importer.
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_STROKER_H
#include FT_GLYPH_H
#include FT_BITMAP_H
#include <hb.h>
#include <hb-ft.h>
#include <fontconfig/fontconfig.h>
#include <linebreak.h>
