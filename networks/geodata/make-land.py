#!/usr/bin/env python3
"""Writes land-110m.geojson, the land outline the maps draw, from Natural Earth's 1:110m countries.

Usage: networks/geodata/make-land.py NATURALEARTH_110M_COUNTRIES.geojson
Input: the 177 country polygons of Natural Earth 1:110m (public domain), e.g. the copy described
in ../shared/geodata/README.md. Output, beside this script: every country but Antarctica (no
service goes south of 46°S), coordinates rounded to 0.01° (about 1 km, finer than 1:110m draws),
repeated points dropped, properties `name` and `iso_a3` only.
"""
import json
import os
import sys

def ring(points):
    out = []
    for lon, lat in points:
        p = [round(lon, 2), round(lat, 2)]
        if not out or out[-1] != p:
            out.append(p)
    if out[0] != out[-1]:
        out.append(out[0])
    return out if len(out) >= 4 else None

def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make-land.py NATURALEARTH_110M_COUNTRIES.geojson")
    with open(sys.argv[1], encoding="utf-8") as f:
        source = json.load(f)
    features = []
    for feature in source["features"]:
        props = feature["properties"]
        if props.get("continent") == "Antarctica":
            continue
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        kept = []
        for polygon in polygons:
            rings = [r for r in (ring(r) for r in polygon) if r]
            if rings:
                kept.append(rings)
        features.append({"type": "Feature", "properties": {"name": props["name"], "iso_a3": props["iso_a3"]},
                         "geometry": {"type": "MultiPolygon", "coordinates": kept}})
    features.sort(key=lambda f: f["properties"]["name"])
    out = {"type": "FeatureCollection",
           "source": "https://www.naturalearthdata.com/downloads/110m-cultural-vectors/110m-admin-0-countries/ "
                     "(via the unchanged copy in PyPI geopandas==0.14.4, geopandas/datasets/naturalearth_lowres)",
           "credit": "Made with Natural Earth (public domain, naturalearthdata.com): 1:110m countries",
           "features": features}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "land-110m.geojson")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, separators=(",", ":"), ensure_ascii=False)
        f.write("\n")
    print(f"{path}: {len(features)} countries, {os.path.getsize(path)} bytes")

main()
