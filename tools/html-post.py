#!/usr/bin/python3
"""html-post.py - finish the web edition that LaTeXML wrote (make html).

    tools/html-post.py [--root DIR] POSTDIR OUTDIR

POSTDIR holds latexmlpost's pages: the contents (index.html), one page per
chapter and appendix, the references and the index, and the SVG figures
under img/.  This writes OUTDIR, a book a browser opens from the file
system with no server and no network:

  - each figure is an <img> whose alt text is its caption;
  - each section, equation, figure, table and exercise shows a permanent
    anchor (a pilcrow linking to itself);
  - every page has the contents and a search box; the search index
    (search-index.js) is built here from the pages' own text;
  - each listing's title links to its whole source file, written here as
    src/FILE.html with the source's line numbers (#L20 is line 20): from
    DIR when it holds the file (the student's copies of the files with
    solution regions, as the book's listings show them), else from the
    checkout;
  - the Latin Modern fonts the book is set in, the style sheet and the
    script are copied beside the pages.

Exits 1, naming the page, when a page has no title or a listing links to a
file that does not exist.
"""
import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys

import lxml.html

BOOK = "Backpropagation from First Principles"
WEB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "report", "web")
FONTS = ["latinmodern-math.otf", "lmroman10-regular.otf", "lmroman10-bold.otf",
         "lmroman10-italic.otf", "lmroman10-bolditalic.otf", "lmmono10-regular.otf"]
# What a permanent anchor is put on: the element's class, and what the
# anchor's title calls it.
ANCHORED = [("ltx_title_section", "section"), ("ltx_title_subsection", "section"),
            ("ltx_title_chapter", "chapter"), ("ltx_equation", "equation"),
            ("ltx_figure", "figure"), ("ltx_table", "table"), ("ltx_item", "exercise")]


def fail(message):
    print(f"error: {message}", file=sys.stderr)
    sys.exit(1)


def has_class(element, name):
    return name in (element.get("class") or "").split()


def text_of(element):
    """The element's text as a reader sees it: each formula as its TeX."""
    parts = []

    def walk(node):
        if not isinstance(node.tag, str):      # a comment
            return
        if node.tag == "math":
            parts.append(" " + (node.get("alttext") or "") + " ")
            return
        parts.append(node.text or "")
        for child in node:
            walk(child)
            parts.append(child.tail or "")

    walk(element)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def printed_width(svg_path):
    """The width a drawing has on paper, in CSS pixels at the pages' type
    size: pdftocairo writes it in points, and the pages' 19 px type is 1.3
    times the book's 11 pt."""
    with open(svg_path, encoding="utf-8") as f:
        head = f.read(2000)
    found = re.search(r'<svg[^>]*\bwidth="([0-9.]+)(pt)?"', head)
    return round(float(found.group(1)) * 4 / 3 * 1.3) if found else None


def figures_as_images(page, post_dir):
    """LaTeXML embeds an SVG as <object>; an <img> loads it as an image,
    with the figure's caption as its alt text, at its printed size."""
    for obj in list(page.iter("object")):
        figure = next((a for a in obj.iterancestors() if a.tag == "figure"), None)
        caption = figure.find(".//figcaption") if figure is not None else None
        alt = text_of(caption) if caption is not None else ""
        img = lxml.html.Element("img", src=obj.get("data") or "", alt=alt or "a figure")
        img.set("class", obj.get("class") or "")
        width = printed_width(os.path.join(post_dir, obj.get("data") or ""))
        if width:
            img.set("style", f"width: {width}px")
        img.tail = obj.tail
        obj.getparent().replace(obj, img)


def scroll_wide_things(page):
    """A display equation, a table or a listing wider than a phone's
    screen scrolls inside its own box (div.kit-scroll), not the page."""
    wide = ("ltx_eqn_table", "ltx_tabular", "ltx_listing")
    for element in list(page.iter()):
        if not any(has_class(element, name) for name in wide):
            continue
        if any(has_class(a, "kit-scroll") for a in element.iterancestors()):
            continue
        box = lxml.html.Element("div")
        box.set("class", "kit-scroll")
        element.addprevious(box)
        box.tail, element.tail = element.tail, None
        box.append(element)


def mark_long_formulas(page):
    """A formula in a line cannot break; a long one (math.kit-long)
    scrolls, so that it does not widen a phone's page."""
    for math in page.iter("math"):
        if math.get("display") == "inline" and len(math.get("alttext") or "") > 24:
            math.set("class", (math.get("class") or "") + " kit-long")


def add_anchors(page):
    """A pilcrow after each numbered thing's title or tag, linking to it."""
    for element in list(page.iter()):
        for name, kind in ANCHORED:
            if not has_class(element, name):
                continue
            target = element if element.get("id") else element.getparent()
            if target is None or not target.get("id"):
                continue
            if kind == "exercise" and not target.get("id").startswith("ex:"):
                continue
            anchor = lxml.html.Element("a", href="#" + target.get("id"),
                                       title=f"a link to this {kind}")
            anchor.set("class", "kit-anchor")
            anchor.text = "¶"
            if kind == "equation":
                tag = element.find(".//*[@class='ltx_tag ltx_tag_equation ltx_align_right']")
                (tag if tag is not None else element).append(anchor)
            elif kind in ("figure", "table"):
                caption = element.find(".//figcaption")
                if caption is not None:
                    caption.append(anchor)
            elif kind == "exercise":
                tag = element.find(".//*[@class='ltx_tag ltx_tag_item']")
                if tag is not None:
                    tag.addnext(anchor)
            else:
                element.append(anchor)


def fix_navigation(page):
    """The contents on every page, with the search box above them.  A
    link to "./" (the book's title) becomes index.html, which a browser
    opens from the file system, and reads the book's title alone."""
    for a in page.iter("a", "link"):
        if a.get("href") == "./":
            a.set("href", "index.html")
            if a.tag == "a":
                for child in list(a):
                    a.remove(child)
                a.text = BOOK
    nav = page.find(".//nav[@class='ltx_page_navbar']")
    if nav is None:
        return
    search = lxml.html.fragment_fromstring(
        '<form class="kit-search" role="search" onsubmit="return false">'
        '<input type="search" id="kit-search-box" placeholder="Search the book" '
        'aria-label="Search the book" autocomplete="off">'
        '<ol id="kit-search-results"></ol></form>')
    toc = nav.find("nav")
    details = lxml.html.Element("details")
    details.set("class", "kit-contents")
    summary = lxml.html.Element("summary")
    summary.text = "Contents"
    details.append(summary)
    if toc is not None:
        toc.getparent().replace(toc, details)
        details.append(toc)
    else:
        nav.append(details)
    nav.insert(0, search)


def retitle(page, name):
    """"Chapter 2 The gradient ... ‣ Backpropagation ..." as the title."""
    title = page.find(".//title")
    if title is None:
        fail(f"{name} has no <title>")
    first = (title.text or "").split("‣")[0].strip()
    title.text = BOOK if name == "index.html" else f"{first} · {BOOK}"


def drop_listing_downloads(page):
    """latexmlpost offers each excerpt for download as it was extracted,
    with the PDF's escapes in it; the title links to the real file."""
    for div in page.xpath(".//div[@class='ltx_listing_data']"):
        div.getparent().remove(div)


def search_entries(page, name):
    """One entry per section (or the page where it has none): the page,
    the anchor, the title and the text."""
    entries = []
    title = page.find(".//title").text.split(" · ")[0].removeprefix("Chapter ")
    content = page.find(".//div[@class='ltx_page_content']")
    if content is None:
        return entries
    sections = content.xpath(".//section[contains(@class,'ltx_section') "
                             "or contains(@class,'ltx_subsection')][@id]")
    for section in sections or [content]:
        heading = section.find(".//h2") if section is not content else None
        if heading is None:
            heading = section.find(".//h3")
        label = text_of(heading) if heading is not None else title
        entries.append({"page": name, "anchor": section.get("id") or "",
                        "chapter": title, "title": label, "text": text_of(section)[:6000]})
    return entries


def source_links(page):
    return {a.get("href").split("#")[0] for a in page.iter("a") if has_class(a, "kit-source")}


def write_source_page(out_dir, href, root):
    """src/ch02_relu.c.html: the whole file, each line numbered and
    anchored (#L17), as the book's listings show it."""
    path = href[:-len(".html")]
    source = os.path.join(root, path) if root and os.path.exists(os.path.join(root, path)) else path
    if not os.path.isfile(source):
        fail(f"a listing links to {path}, which does not exist")
    with open(source, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    depth = path.count("/")
    up = "../" * depth
    rows = "\n".join(
        f'<span class="kit-line" id="L{n}"><a class="kit-lineno" href="#L{n}">{n}</a>'
        f'{html.escape(line)}</span>' for n, line in enumerate(lines, 1))
    text = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{html.escape(path)} · {BOOK}</title>'
            f'<link rel="stylesheet" href="{up}kit.css"></head>'
            f'<body class="kit-source-page"><p><a href="{up}index.html">{BOOK}</a>: '
            f'the source file <code>{html.escape(path)}</code></p>'
            f'<pre class="kit-source-file">{rows}</pre></body></html>\n')
    target = os.path.join(out_dir, href)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w", encoding="utf-8") as f:
        f.write(text)


def copy_assets(post_dir, out_dir):
    for name in os.listdir(post_dir):
        source = os.path.join(post_dir, name)
        if name.endswith(".html") or name == "LaTeXML.cache":
            continue
        if os.path.isdir(source):
            shutil.copytree(source, os.path.join(out_dir, name))
        else:
            shutil.copy(source, out_dir)
    for name in ("kit.css", "kit.js"):
        shutil.copy(os.path.join(WEB, name), out_dir)
    os.makedirs(os.path.join(out_dir, "fonts"), exist_ok=True)
    for font in FONTS:
        found = subprocess.run(["kpsewhich", font], capture_output=True, text=True).stdout.strip()
        if not found:
            fail(f"the font {font} was not found (kpsewhich {font}; Debian's lmodern has it)")
        shutil.copy(found, os.path.join(out_dir, "fonts"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", default="", help="the student's copies of files with regions")
    parser.add_argument("post_dir")
    parser.add_argument("out_dir")
    args = parser.parse_args()
    if os.path.exists(args.out_dir):
        shutil.rmtree(args.out_dir)
    os.makedirs(args.out_dir)
    copy_assets(args.post_dir, args.out_dir)
    entries, sources = [], set()
    pages = sorted(n for n in os.listdir(args.post_dir) if n.endswith(".html"))
    for name in pages:
        with open(os.path.join(args.post_dir, name), encoding="utf-8") as f:
            page = lxml.html.document_fromstring(f.read())
        retitle(page, name)
        figures_as_images(page, args.post_dir)
        drop_listing_downloads(page)
        if name not in ("index.html", "idx.html"):     # not the contents, not the index
            entries.extend(search_entries(page, name))
        add_anchors(page)
        scroll_wide_things(page)
        mark_long_formulas(page)
        fix_navigation(page)
        head = page.find(".//head")
        for href in ("kit.css",):
            head.append(lxml.html.Element("link", rel="stylesheet", href=href))
        for src in ("search-index.js", "kit.js"):
            head.append(lxml.html.Element("script", src=src, defer="defer"))
        sources |= source_links(page)
        with open(os.path.join(args.out_dir, name), "w", encoding="utf-8") as f:
            f.write(lxml.html.tostring(page, doctype="<!DOCTYPE html>", encoding="unicode"))
    for href in sorted(sources):
        write_source_page(args.out_dir, href, args.root)
    with open(os.path.join(args.out_dir, "search-index.js"), "w", encoding="utf-8") as f:
        f.write("// The search index, written by tools/html-post.py from the pages.\n")
        f.write("window.KIT_SEARCH = " + json.dumps(entries, ensure_ascii=False) + ";\n")
    print(f"  HTML    {args.out_dir}: {len(pages)} pages, {len(sources)} source files, "
          f"{len(entries)} search entries")


if __name__ == "__main__":
    main()
