"""Page layout evidence: which parts of an HTML tree are site furniture rather than the article."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from itertools import islice

from lxml.etree import _Element
from lxml.html import HtmlElement

# Elements the HTML standard and WAI-ARIA define as outside a page's main content.
FURNITURE_TAGS = frozenset({"aside", "nav", "footer", "dialog", "figcaption"})
FURNITURE_ROLES = frozenset(
    {"navigation", "complementary", "contentinfo", "banner", "dialog", "alertdialog", "menu",
     "menubar", "search"}
)  # fmt: skip

# class/id words that news templates give to the blocks around an article: links to other
# articles, author boxes, sign-up and sharing calls, site chrome and overlays. Matched as whole
# words of a class or id (split on "-", "_" and spaces), so "related-posts" and "relatedPosts"
# match "related" while "correlated" does not.
FURNITURE_WORDS: dict[str, tuple[str, ...]] = {
    "other-articles": (
        "related", "recommended", "recommendations", "recirculation", "teaser", "teasers",
        "promo", "promos", "promoted", "sponsored", "trending", "popular", "mostread",
        "more-stories", "more-news", "more-articles", "read-also",
        "also-read", "see-also", "further-reading", "top-stories", "you-may-like",
        "most-read", "most-viewed", "editors-picks", "outbrain", "taboola",
    ),
    "author-box": (
        "author-bio", "authorbio", "author-box", "authorbox", "about-author", "author-info",
        "author-card", "author-profile", "bio", "biography", "contributor-bio",
    ),
    "call-to-action": (
        "newsletter", "subscribe", "subscription", "signup", "sign-up", "paywall", "donate",
        "donation", "support-us", "cta", "call-to-action", "membership",
    ),
    "sharing": ("share", "sharing", "social", "socials", "follow-us", "share-buttons"),
    "site-chrome": (
        "sidebar", "footer", "breadcrumb", "breadcrumbs", "masthead",
        "navbar", "navigation", "menu", "pagination", "pager", "toolbar",
    ),
    "caption": (
        "caption", "captions", "figcaption", "credit", "credits", "copyright", "photo-credit",
        "didascalia", "dida", "bildunterschrift", "bildtext", "bildnachweis", "legende",
        "legenda", "leyenda", "pie-de-foto", "podpis-zdjecia", "fotocredit",
    ),
    "comments": (
        "comments", "comment-list", "commentlist", "comment-form", "comment-section", "respond",
        "disqus", "kommentare", "commentaires", "comentarios", "commenti",
    ),
    "tags": (
        "tags", "tag-links", "tag-list", "tag-cloud", "tagcloud", "post-tags", "entry-tags",
        "article-tags", "keywords",
    ),
    "overlay": ("modal", "popup", "overlay", "cookie", "cookies", "consent", "gdpr"),
}  # fmt: skip

# WordPress-style state classes name the post's tags and the page layout, not the element's
# role ("tag-share", "category-promo", "has-sidebar"): they say nothing about the block.
STATE_CLASS = re.compile(
    r"^(?:tag|category|cat|post|postid|page|tax|term|format|has|no|with|layout|single|"
    r"template|parent|status|type|is|theme)[-_]",
    re.IGNORECASE,
)
# A paragraph, list item or subheading that is nearly all a link to another page of the same
# site is a teaser or a "read also" line. Links to other sites may be the article's sources;
# e-mail and phone links are contact data; links within the page (notes, contents) are its own.
LINK_BLOCK_TAGS = frozenset({"p", "li", "h2", "h3", "h4", "h5", "h6", "dt", "dd"})
MIN_LINK_BLOCK_CHARS = 15
MIN_LINK_SHARE = 0.8
# A list of at least this many items that are all links, perhaps under one heading.
LINK_LIST_TAGS = frozenset({"ul", "ol", "div", "section", "dl"})
MIN_LIST_LINKS = 2
# A teaser card: a short block whose links all lead to one other page of the site, title first.
CARD_TAGS = frozenset({"div", "li", "article", "section"})
MAX_CARD_CHARS = 400
MIN_CARD_LINKS = 2
HEADING_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
MAX_HEADING_CHARS = 80
# Furniture whose heading ("Read more:", "Related stories") goes with it when it sits right above;
# captions and overlays can follow any heading of the article.
INTRODUCED_KINDS = frozenset(
    {"other-articles", "author-box", "call-to-action", "sharing", "comments", "tags",
     "link-block", "link-list", "teaser-card", "aside", "nav", "footer"}
)  # fmt: skip
MAX_LOOSE_CHARS = 3  # text of a link list outside its items: separators such as "|" or "·"
LINK_HOST = re.compile(r"(?:[a-z][a-z0-9+.-]*:)?//([^/?#]+)", re.IGNORECASE)
CONTENT_LINK = re.compile(r"(?!(?:#|mailto:|tel:|callto:|sms:|javascript:))", re.IGNORECASE)


CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
NAME_PART = re.compile(r"[^a-z0-9]+")
# A block of one image and its caption: the tags that wrap them, and the most text they hold.
FIGURE_TAGS = frozenset({"div", "p", "span", "figure"})
MAX_FIGURE_CHARS = 300
# Elements whose own text is code, not words shown on the page.
CODE_TAGS = ("script", "style", "template")
# A block holding this share of the page's paragraph text is the article, whatever its name.
MAX_FURNITURE_SHARE = 0.4
# Furniture that would take away more than this share of the extracted text is kept.
MAX_REMOVED_SHARE = 0.5


def _word_kinds() -> dict[str, str]:
    kinds: dict[str, str] = {}
    for kind, words in FURNITURE_WORDS.items():
        for word in words:
            kinds[word] = kind
    return kinds


WORD_KINDS = _word_kinds()
LONGEST_WORD_PARTS = max(word.count("-") + 1 for word in WORD_KINDS)


@lru_cache(maxsize=8192)  # templates repeat the same few class strings on every page
def furniture_kind(class_or_id: str) -> str | None:
    """The kind of site furniture a class or id attribute names, if it names one.

    >>> furniture_kind("c-related-articles__list"), furniture_kind("relatedPosts")
    ('other-articles', 'other-articles')
    >>> furniture_kind("tag-share has-sidebar entry-content"), furniture_kind("correlated")
    (None, None)
    """
    for name in class_or_id.split():
        whole = WORD_KINDS.get(name.lower())
        if whole:
            return whole
        if STATE_CLASS.match(name):
            continue
        parts = [p for p in NAME_PART.split(CAMEL_HUMP.sub("-", name).lower()) if p]
        for size in range(min(LONGEST_WORD_PARTS, len(parts)), 0, -1):
            for start in range(len(parts) - size + 1):
                kind = WORD_KINDS.get("-".join(parts[start : start + size]))
                if kind:
                    return kind
    return None


def element_kind(element: _Element, host: str | None = None) -> str | None:
    """Why an element is site furniture: its tag, its ARIA role, or its class/id names.

    >>> from lxml import html
    >>> element_kind(html.fromstring('<div class="author-bio">About Jane</div>'))
    'author-box'
    >>> element_kind(html.fromstring('<aside><p>More news</p></aside>'))
    'aside'
    >>> element_kind(html.fromstring('<div class="entry-content"><p>Text</p></div>')) is None
    True
    """
    tag = element.tag
    if not isinstance(tag, str):
        return None
    if tag in FURNITURE_TAGS:
        return tag
    if tag in LINK_BLOCK_TAGS and _is_link_block(element, host):
        return "link-block"
    if tag in LINK_LIST_TAGS and _is_link_list(element, host):
        return "link-list"
    if tag in CARD_TAGS and _is_teaser_card(element, host):
        return "teaser-card"
    role = (element.get("role") or "").strip().lower()
    if role in FURNITURE_ROLES:
        return f"role-{role}"
    return furniture_kind(f"{element.get('class') or ''} {element.get('id') or ''}")


def _points_elsewhere(link: _Element) -> bool:
    href = (link.get("href") or "").strip()
    return bool(href) and CONTENT_LINK.match(href) is not None


def _links_within(link: _Element, host: str | None) -> bool:
    """A link to another page of the same site (`host`, or any relative link when unknown)."""
    if not _points_elsewhere(link):
        return False
    match = LINK_HOST.match((link.get("href") or "").strip())
    if match is None:
        return True  # relative: the same site
    if not host:
        return False
    target = _bare_host(match.group(1))
    return target == host or target.endswith(f".{host}") or host.endswith(f".{target}")


def _bare_host(host: str) -> str:
    host = host.lower().split(":")[0]
    return host[4:] if host.startswith("www.") else host


def _is_link_block(element: _Element, host: str | None = None) -> bool:
    text = "".join(element.text_content().split())
    if len(text) < MIN_LINK_BLOCK_CHARS:
        return False
    if any(_links_within(a, host) for a in element.iterancestors("a")):
        return True  # a whole card wrapped in one link: <a href><h2>Headline</h2></a>
    linked = sum(
        len("".join(a.text_content().split())) for a in element.iter("a") if _links_within(a, host)
    )
    return linked >= MIN_LINK_SHARE * len(text)


def _is_heading(element: _Element) -> bool:
    """A short title line: a heading element, or a short bold or plain line with no link."""
    if not isinstance(element.tag, str) or element.tag in ("h1", "a", "img", "figure", "table"):
        return False
    text = " ".join(element.text_content().split())
    if not text or len(text) > MAX_HEADING_CHARS:
        return False
    if element.tag in HEADING_TAGS:
        return True
    return not text.endswith(".") and not any(_points_elsewhere(a) for a in element.iter("a"))


def _is_link_only(element: _Element, host: str | None = None) -> bool:
    text = "".join(element.text_content().split())
    if not text:
        return False
    linked = sum(
        len("".join(a.text_content().split())) for a in element.iter("a") if _links_within(a, host)
    )
    if element.tag == "a" and _links_within(element, host):
        linked = len(text)
    return linked >= MIN_LINK_SHARE * len(text)


def _is_link_list(element: _Element, host: str | None = None) -> bool:
    """A list of links to other pages, under at most one heading: other stories, a topic index."""
    children = [child for child in element if isinstance(child.tag, str)]
    if children and _is_heading(children[0]) and not _is_link_only(children[0], host):
        children = children[1:]
    if len(children) < MIN_LIST_LINKS or not all(_is_link_only(c, host) for c in children):
        return False
    # text between the items (not inside them) would be prose that merely contains links
    loose = "".join((element.text or "").split()) + "".join(
        "".join((child.tail or "").split()) for child in children
    )
    return len(loose) <= MAX_LOOSE_CHARS


def _is_teaser_card(element: _Element, host: str | None = None) -> bool:
    """A short block that opens with a link to another page of the site and links there again.

    A teaser card: the other story's title, a blurb, a "read more" link to the same page.

    >>> from lxml import html
    >>> _is_teaser_card(html.fromstring(
    ...     '<div><h3><a href="/floods">Floods in the north</a></h3><p>Thousands without power.'
    ...     '</p><a href="/floods">Read more</a></div>'))
    True
    >>> _is_teaser_card(html.fromstring(
    ...     '<div><p>Leaders met in <a href="/astana">Astana</a>.</p>'
    ...     '<p>See <a href="/astana">the city</a>.</p></div>'))
    False
    """
    first = next((c for c in element if isinstance(c.tag, str) and c.text_content().strip()), None)
    if first is None or first is element[-1] or not _is_link_only(first, host):
        return False
    if len("".join(element.text_content().split())) > MAX_CARD_CHARS:
        return False
    targets = [
        (a.get("href") or "").strip().split("#")[0]
        for a in element.iter("a")
        if _links_within(a, host)
    ]
    return len(targets) >= MIN_CARD_LINKS and len(set(targets)) == 1


def _paragraph_text_length(element: _Element) -> int:
    return sum(len(p.text_content()) for p in element.iter("p"))


def _article_path(root: _Element) -> set[_Element]:
    """The densest paragraph container and the headline, with all their ancestors."""
    best, best_length = None, 0
    lengths: dict[_Element, int] = {}
    for paragraph in root.iter("p"):
        parent = paragraph.getparent()
        if parent is not None:
            lengths[parent] = lengths.get(parent, 0) + len(paragraph.text_content())
    for parent, length in lengths.items():
        if length > best_length:
            best, best_length = parent, length
    protected: set[_Element] = set()
    for anchor in (best, next(root.iter("h1"), None)):
        while anchor is not None:
            protected.add(anchor)
            anchor = anchor.getparent()
    return protected


def furniture(root: _Element, url: str | None = None) -> Iterator[tuple[_Element, str]]:
    """Outermost blocks of a page that are site furniture, with their kind.

    Blocks on the path to the article's densest paragraphs or its headline, and blocks holding
    most of the page's paragraph text, are never furniture: templates name layout wrappers
    after sidebars and widgets too.

    >>> from lxml import html
    >>> page = html.fromstring(
    ...     '<html><body><div class="widget-area"><article><h1>Summit</h1>'
    ...     '<p>Leaders met in Astana on Thursday.</p>'
    ...     '<div class="related-posts"><p>Another story</p></div></article>'
    ...     '<aside><p>Most read today</p></aside></div></body></html>')
    >>> [(e.tag, kind) for e, kind in furniture(page)]
    [('div', 'other-articles'), ('aside', 'aside')]
    """
    protected = _article_path(root)
    total = _paragraph_text_length(root) or 1
    page_host = LINK_HOST.match(url or "")
    host = _bare_host(page_host.group(1)) if page_host else None
    found: set[_Element] = set()
    # depth-first in document order, without recursion: pages nest thousands of levels deep
    stack = [iter(root)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        if not isinstance(child.tag, str):
            continue
        kind = None if child in protected else element_kind(child, host)
        small = False  # whether `child` holds at most the furniture share of the page's text
        if kind == "caption":
            figure = _figure_of(child, protected)
            # Only a figure that is furniture itself: one that is not is descended into again.
            if figure is not None and _paragraph_text_length(figure) <= MAX_FURNITURE_SHARE * total:
                stack.pop()  # the figure's other children go with it
                child, small = figure, True
        if kind and (small or _paragraph_text_length(child) <= MAX_FURNITURE_SHARE * total):
            heading = child.getprevious()
            while heading is not None and not isinstance(heading.tag, str):
                heading = heading.getprevious()
            if (
                kind in INTRODUCED_KINDS
                and heading is not None
                and heading not in protected
                and heading not in found
                and _is_heading(heading)
            ):
                found.add(heading)
                yield heading, kind
            found.add(child)
            yield child, kind
        else:
            stack.append(iter(child))


def _figure_of(caption: _Element, protected: set[_Element]) -> _Element | None:
    """The wrapper of one image and its caption or credit, when it holds only a few words more.

    Templates without <figure> wrap a photo, its credit and its caption text in one block and
    name only the credit: the caption text beside it belongs to the same figure.

    >>> from lxml import html
    >>> box = html.fromstring('<div><img src="a.jpg"><span class="credit">Photo: Agency</span>'
    ...                       '<p>Leaders in Astana on Thursday.</p></div>')
    >>> _figure_of(box[1], set()) is box
    True
    >>> box = html.fromstring('<div><img src="a.jpg"><img src="b.jpg">'
    ...                       '<span class="credit">Photo: Agency</span></div>')
    >>> _figure_of(box[2], set()) is None
    True
    """
    wrapper = caption.getparent()
    if wrapper is None or wrapper in protected or wrapper.tag not in FIGURE_TAGS:
        return None
    if len(list(islice(wrapper.iter("img"), 2))) != 1:
        return None
    if len(" ".join(wrapper.text_content().split())) > MAX_FIGURE_CHARS:
        return None
    return wrapper


def strip_furniture_lines(
    lines: list[str],
    root: HtmlElement,
    url: str | None = None,
    max_share: float = MAX_REMOVED_SHARE,
) -> tuple[list[str], list[tuple[str, str]]]:
    """Extracted lines that the page shows only inside site furniture removed, with their kind.

    A line is removed when its text occurs in a furniture block of `root` and nowhere else the
    page shows text (scripts and styles do not count), so an article paragraph that shares words
    with a teaser stays. Lines a single block would take away are kept when they exceed
    `max_share` of the extracted text: the extractor judged that block to be the article.
    `root` is modified (furniture dropped, the code in scripts and styles emptied).

    >>> from lxml import html
    >>> page = html.fromstring(
    ...     '<html><body><article><h1>Summit</h1>'
    ...     '<p>Leaders met in Astana on Thursday to talk about trade.</p>'
    ...     '<p>Trade rose by a tenth last year, officials said.</p></article>'
    ...     '<div class="related-stories"><p>Trade talks resume in Geneva</p></div>'
    ...     '</body></html>')
    >>> kept, removed = strip_furniture_lines(
    ...     ['Leaders met in Astana on Thursday to talk about trade.',
    ...      'Trade rose by a tenth last year, officials said.',
    ...      'Trade talks resume in Geneva'], page)
    >>> removed
    [('Trade talks resume in Geneva', 'other-articles')]
    >>> page = html.fromstring(
    ...     '<html><body><article><p>Leaders met in Astana on Thursday.</p>'
    ...     '<p>Trade rose by a tenth last year, officials said.</p></article>'
    ...     '<aside><p>Trade rose by a tenth last year</p></aside></body></html>')
    >>> strip_furniture_lines(['Trade rose by a tenth last year, officials said.'], page)[1]
    []
    """
    blocks = list(furniture(root, url))
    if not blocks:
        return lines, []
    block_texts = [(_squeezed(element.text_content()), kind) for element, kind in blocks]
    # Extractors join inline siblings into one line (a caption and its photo credit): a run of
    # furniture blocks side by side is also matched as one text, owned by its first block.
    runs: list[tuple[str, int]] = []
    start = 0
    for index in range(1, len(blocks) + 1):
        if index == len(blocks) or not _side_by_side(blocks[index - 1][0], blocks[index][0]):
            if index - start > 1:
                runs.append(("".join(text for text, _ in block_texts[start:index]), start))
            start = index
    for element, _ in blocks:
        if element.getparent() is not None:
            element.drop_tree()
    # Scripts and styles are not shown: the page state a script carries as JSON repeats every
    # teaser of the page, and would keep them all.
    for code in root.iter(*CODE_TAGS):
        code.text = None
    elsewhere = _squeezed(root.text_content())
    owner: dict[int, int] = {}
    for number, line in enumerate(lines):
        squeezed = _squeezed(line)
        if not squeezed or squeezed in elsewhere:
            continue
        for index, (text, _) in enumerate(block_texts):
            if squeezed in text:
                owner[number] = index
                break
        else:
            for text, first in runs:
                if squeezed in text:
                    owner[number] = first
                    break
    taken: dict[int, int] = {}
    for number, block in owner.items():
        taken[block] = taken.get(block, 0) + len(_squeezed(lines[number]))
    limit = max_share * sum(len(_squeezed(line)) for line in lines)
    kept: list[str] = []
    removed: list[tuple[str, str]] = []
    for number, line in enumerate(lines):
        found = owner.get(number)
        if found is not None and taken[found] <= limit:
            removed.append((line, block_texts[found][1]))
        else:
            kept.append(line)
    return kept, removed


def _side_by_side(first: _Element, second: _Element) -> bool:
    """Two siblings with nothing but markup without text between them.

    >>> from lxml import html
    >>> p = html.fromstring('<p><span>A</span><img src="a.jpg"> <span>B</span> C <b>D</b></p>')
    >>> (a, b), d = p.findall("span"), p.find("b")
    >>> _side_by_side(a, b), _side_by_side(b, d)
    (True, False)
    """
    if first.getparent() is None or first.getparent() is not second.getparent():
        return False
    if (first.tail or "").strip():
        return False
    between = first.getnext()
    while between is not None and between is not second:
        has_text = isinstance(between.tag, str) and between.text_content().strip()
        if has_text or (between.tail or "").strip():
            return False
        between = between.getnext()
    return between is second


def _squeezed(text: str) -> str:
    # Extractors and text_content() break and join lines differently: compare without spaces.
    return "".join(text.split())
