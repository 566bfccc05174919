/*
 * css.c -- the page's one stylesheet, inline. Colours meet WCAG AA against
 * their backgrounds (text 4.5:1 or more, chart marks 3:1 or more); status is
 * always a symbol and a word as well as a colour. The print rules give A4
 * pages: no navigation, each result on a new page, rows never cut, the
 * diagram fitted to the page width.
 *
 * The country filter's rules are generated, one per country, from indexes
 * (class c0, c1, ...): no text from the model reaches the stylesheet.
 */
#include "html_internal.h"

static const char base_css[] =
    ":root{--ink:#1b1b1b;--muted:#4a4a4a;--line:#8a8a8a;--rule:#d0d0d0;--bg:#fff;"
    "--ok:#1d6b34;--ok-bg:#dff0e3;--track:#1f5c99;--track-bg:#e0ecf8;"
    "--off:#a4232f;--off-bg:#f9e0e2;--none:#555;--none-bg:#ececec;--bar:#3a6ea5;"
    "--target:#1b1b1b;--accent:#7a4d00}\n"
    "*{box-sizing:border-box}\n"
    "html{font-family:\"DejaVu Sans\",\"Noto Sans\",\"Noto Sans Lao\",Arial,sans-serif;"
    "font-size:15px;line-height:1.45;color:var(--ink);background:var(--bg)}\n"
    "body{margin:0 auto;max-width:1200px;padding:0 1.5rem 2rem}\n"
    "a{color:#1a4f8b}a:focus-visible,summary:focus-visible,input:focus-visible+label{"
    "outline:3px solid #b35900;outline-offset:2px}\n"
    ".skip{position:absolute;left:-9999px}.skip:focus{left:1rem;top:1rem;background:#fff;"
    "padding:.4rem .8rem;z-index:2}\n"
    "header.top{border-bottom:3px solid var(--ink);padding:1.2rem 0 .6rem}\n"
    ".kicker{margin:0;text-transform:uppercase;letter-spacing:.08em;color:var(--muted);"
    "font-size:.8rem}\n"
    "h1{margin:.2rem 0 .6rem;font-size:1.7rem;line-height:1.2}\n"
    "h2{font-size:1.35rem;border-bottom:1px solid var(--rule);padding-bottom:.2rem;"
    "margin-top:2rem}\n"
    "h3{font-size:1.15rem;margin:1.6rem 0 .3rem}h4{font-size:1.02rem;margin:1.2rem 0 .3rem}\n"
    ".facts{display:flex;flex-wrap:wrap;gap:.3rem 2rem;margin:0}.facts div{min-width:10rem}\n"
    ".facts dt,.plan dt{font-size:.78rem;color:var(--muted);text-transform:uppercase;"
    "letter-spacing:.04em}.facts dd,.plan dd{margin:0}\n"
    ".failed{border:2px solid var(--off);padding:.2rem .8rem;margin:.6rem 0}\n"
    ".glance{margin:.6rem 0 .2rem}.glance .st{margin:.1rem .2rem}\n"
    ".source,.sub{color:var(--muted);font-size:.88rem}\n"
    ".filter{position:sticky;top:0;background:#fff;border-bottom:1px solid var(--rule);"
    "padding:.4rem 0;z-index:1}\n"
    ".filter fieldset{border:0;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.3rem;"
    "align-items:center}.filter legend{float:left;margin-right:.6rem;font-weight:bold}\n"
    ".filter input{position:absolute;opacity:0;width:1px;height:1px}\n"
    ".filter label{border:1px solid var(--line);border-radius:1rem;padding:.1rem .7rem;"
    "cursor:pointer}\n"
    ".filter input:checked+label{background:var(--ink);color:#fff;border-color:var(--ink)}\n"
    ".filter-note{display:none;margin:.3rem 0 0;font-size:.85rem;color:var(--muted)}\n"
    "body:has(.filter input:checked:not(#f-all)) .filter-note{display:block}\n"
    "[id]{scroll-margin-top:4.5rem}\n"
    ".node{border-top:2px solid var(--rule);margin-top:1.4rem}\n"
    ".lvl{display:block;font-size:.78rem;font-weight:normal;text-transform:uppercase;"
    "letter-spacing:.05em;color:var(--muted)}\n"
    ".nid{font-weight:bold;margin-right:.3rem}\n"
    ".ind{margin:1rem 0 1.5rem;padding:.2rem 1rem 1rem;border-left:4px solid var(--rule)}\n"
    ".plan{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:.4rem 1.5rem;"
    "margin:.4rem 0}\n"
    ".st{display:inline-block;border-radius:.25rem;padding:0 .35rem;white-space:nowrap;"
    "border:1px solid currentColor;font-size:.9rem}\n"
    ".st-ok{color:var(--ok);background:var(--ok-bg)}"
    ".st-track{color:var(--track);background:var(--track-bg)}"
    ".st-off{color:var(--off);background:var(--off-bg)}"
    ".st-none{color:var(--none);background:var(--none-bg)}\n"
    ".rollup,.nodest,.indst,.also{margin:.25rem 0}.rollup .st{margin-right:.3rem}\n"
    "table.data{border-collapse:collapse;width:100%;margin:.6rem 0;font-size:.9rem}\n"
    "table.data caption{text-align:left;font-weight:bold;padding:.2rem 0}\n"
    "table.data th,table.data td{border-bottom:1px solid var(--rule);padding:.25rem .45rem;"
    "text-align:left;vertical-align:top}\n"
    "table.data thead th{border-bottom:2px solid var(--ink);background:#f3f3f3}\n"
    "table.data .num{text-align:right;font-variant-numeric:tabular-nums}\n"
    "tr.tot th,tr.tot td.num{font-weight:bold}tr.lop th,tr.lop td{border-top:2px solid "
    "var(--line)}\n"
    "details>summary{cursor:pointer;color:#1a4f8b;margin:.4rem 0}\n"
    "figure{margin:1rem 0}figure svg{max-width:100%;height:auto}\n"
    "figcaption{font-size:.9rem;color:var(--muted)}\n"
    ".charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(30rem,1fr));gap:1rem}\n"
    ".chart svg text{font-family:inherit;font-size:11px;fill:#1b1b1b}"
    ".chart .tk{fill:#4a4a4a}.chart .na{fill:#4a4a4a;font-style:italic}"
    ".chart .lg{font-size:12px}"
    ".chart .vl{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}\n"
    ".chain svg{border:1px solid var(--rule);background:#fff}"
    ".chain svg text{font-family:\"DejaVu Sans\",sans-serif;font-size:11px;fill:#1b1b1b}"
    ".chain .ch{font-weight:bold}\n"
    ".chain svg a:focus-visible rect{stroke:#b35900;stroke-width:4}\n"
    ".legend{display:flex;flex-wrap:wrap;gap:.3rem .8rem;padding:0;list-style:none;margin:.3rem "
    "0}\n"
    "code{font-size:.9em}\nfooter{margin-top:2rem;border-top:1px solid var(--rule);"
    "color:var(--muted);font-size:.85rem}\n"
    "@media print{@page{size:A4;margin:14mm 12mm}\n"
    "html{font-size:10pt}body{max-width:none;padding:0}\n"
    ".filter,.skip{display:none}\n"
    "a{color:inherit;text-decoration:none}\n"
    "#results>.node.brk{break-before:page}\n"
    "tr,figure,.plan,h3,h4,.node>p,details.assume{break-inside:avoid}\n"
    "h2,h3,h4,.indst,caption,.lvl{break-after:avoid}.plan,table.iptt{break-before:avoid}\n"
    "thead{display:table-header-group}\n"
    ".chain svg{width:100%;height:auto;max-height:240mm;border:0}\n"
    ".charts{display:block}figure.chart svg{width:150mm;height:auto}\n"
    "details.bd:not([open]),details.chart-data:not([open]){display:none}\n"
    ".ind{border-left-width:2px}}\n";

void css_write(struct page *p) {
    struct hbuf *o = &p->out;
    hb_puts(o, "<style>\n");
    hb_puts(o, base_css);
    /* One rule per country: under its radio button, the rows and indicators
     * of every other country are hidden. */
    for (size_t i = 0; i < p->country_count; i++)
        hb_printf(o, "body:has(#f-c%zu:checked) .cty:not(.c%zu){display:none}\n", i, i);
    hb_puts(o, "</style>\n");
}
