#!/usr/bin/env node
// test-html.js - open every page of the web edition in a real browser.
//
//     node tools/html-test/test-html.js build/html build/html-shots
//
// Headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core)
// opens each *.html file under the html directory from the file system, as a
// reader would, and the page fails on:
//   - a console error, an uncaught exception, a request that failed, or a
//     request for anything that is not a local file (all must load from here);
//   - an image that did not load or has no alt text;
//   - an internal link to a file that does not exist, to a directory, or out of
//     the html directory, or whose #fragment names no id in its target page;
//   - an equation that did not become MathML, a MathML element that draws
//     nothing, or LaTeX left visible in the text (\kit, \ref{, \cite, (*@, ??);
//   - at a phone's width, a page wider than the screen (the widest things,
//     figures, tables, listings and display equations, must scroll by themselves).
// It saves the first screen of each book page (the top-level ones) at a phone
// and at a desktop width into the shots directory.  Exit status: 0 when every
// page passes, 1 when one fails, 2 on a usage error.
'use strict';

const fs = require('fs');
const path = require('path');
const { pathToFileURL, fileURLToPath } = require('url');

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const LOAD_TIMEOUT = 120000;          // ms for one page; generous for a busy machine
const PARALLEL = 2;                   // pages open at once
const LATEX_LEFTOVERS = ['\\kit', '\\ref{', '\\cite', '(*@', '??'];
const MAX_DETAILS = Number(process.env.HTML_TEST_DETAILS) || 10;  // problems printed per page

// playwright-core is installed into build/html-test (tools/test-html.sh does
// that), not into the source tree: look there as well as beside this file.
function loadPlaywright() {
    const places = [path.resolve(__dirname, '../../build/html-test'),
        path.resolve('build/html-test'), __dirname];
    try {
        return require(require.resolve('playwright-core', { paths: places }));
    } catch (e) {
        console.error('test-html.js: playwright-core is not installed; run tools/test-html.sh');
        process.exit(2);
    }
}

// Every *.html file under dir, as absolute paths, top-level pages first.
function htmlFiles(dir) {
    const found = [];
    (function walk(d) {
        for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, entry.name);
            if (entry.isDirectory()) walk(p);
            else if (entry.name.endsWith('.html')) found.push(p);
        }
    })(dir);
    const depth = (p) => p.split(path.sep).length;
    return found.sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
}

// Runs in the page, after it loaded: waits for every image, then gathers what
// the checks need.  Returns plain data (Playwright copies it back to node).
async function inspectPage(leftovers) {
    const settle = [...document.images].map((img) => {
        img.loading = 'eager';          // a lazy image would never load off screen
        if (img.complete) return null;
        return new Promise((done) => {
            img.addEventListener('load', done, { once: true });
            img.addEventListener('error', done, { once: true });
        });
    });
    await Promise.race([Promise.all(settle), new Promise((t) => setTimeout(t, 60000))]);
    await document.fonts.ready;

    const problems = [];
    // (Each function sent to the page runs there on its own: each has its own helpers.)
    const shown = (el) => (el.checkVisibility ? el.checkVisibility() : el.getClientRects().length > 0);
    const name = (el) => el.localName + (el.id ? '#' + el.id : '') +
        (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : '');

    for (const img of document.images) {
        const src = img.getAttribute('src');
        if (!(img.complete && img.naturalWidth > 0)) problems.push(`image did not load: ${src}`);
        if (!(img.getAttribute('alt') || '').trim()) problems.push(`image has no alt text: ${src}`);
    }
    const objects = [...document.querySelectorAll('object[data], embed[src]')]
        .map((el) => el.localName === 'object' ? el.data : el.src);

    // Equations: LaTeXML marks each one; each must hold MathML that draws.
    for (const el of document.querySelectorAll('.ltx_Math, .ltx_equation, .ltx_eqn_table')) {
        if (el.localName !== 'math' && !el.querySelector('math'))
            problems.push(`equation is not MathML: ${name(el)}: "${el.textContent.trim().slice(0, 60)}"`);
    }
    for (const el of document.querySelectorAll('.ltx_ERROR'))
        problems.push(`LaTeXML error in the page: "${el.textContent.trim().slice(0, 60)}"`);
    const maths = document.getElementsByTagName('math');
    for (const m of maths) {
        if (shown(m) && m.getBoundingClientRect().width <= 0)
            problems.push(`MathML draws nothing: ${name(m)} ${m.getAttribute('alttext') || ''}`);
    }
    // The text, with each number of a chapter that has not run (the
    // handout's marked "?", span.kit-notyet) set aside.
    const copy = document.body.cloneNode(true);
    copy.querySelectorAll('.kit-notyet').forEach((el) => el.replaceWith('[not yet]'));
    const text = copy.textContent;
    for (const bit of leftovers) {
        const at = text.indexOf(bit);
        if (at >= 0) problems.push(`LaTeX left in the text: "${text.slice(Math.max(0, at - 30), at + 30).replace(/\s+/g, ' ')}"`);
    }

    const ids = [...document.querySelectorAll('[id]')].map((el) => el.id)
        .concat([...document.querySelectorAll('a[name]')].map((a) => a.name));
    const links = [...document.querySelectorAll('a[href]')]
        .map((a) => ({ raw: a.getAttribute('href'), url: a.href }));
    return { problems, objects, ids, links, maths: maths.length, images: document.images.length };
}

// Runs in the page at the phone's width: if the page scrolls sideways, names
// the outermost elements that stick out (not those inside a scrolling box).
function overflowCulprits() {
    const width = window.innerWidth;
    const name = (el) => el.localName + (el.id ? '#' + el.id : '') +
        (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : '');
    if (document.documentElement.scrollWidth <= width + 1) return null;
    const culprits = [];
    (function visit(el) {
        const r = el.getBoundingClientRect();
        if (r.right > width + 1 && el !== document.body) {
            // Name it, and the innermost element inside it that sticks out
            // furthest (often a long word or an equation that cannot wrap).
            let inner = el;
            for (;;) {
                const kids = [...inner.children].filter((c) => c.getBoundingClientRect().right > width + 1);
                if (!kids.length || inner.localName === 'math') break;
                inner = kids.reduce((a, b) => (b.getBoundingClientRect().right > a.getBoundingClientRect().right ? b : a));
            }
            culprits.push(name(el) + (inner !== el ? ' > ... > ' + name(inner) : '') + ` (${Math.round(r.right)}px)`);
            return;                     // its children are part of the same problem
        }
        const clips = el !== document.body && getComputedStyle(el).overflowX !== 'visible';
        if (!clips) for (const child of el.children) visit(child);
    })(document.body);
    return { scrollWidth: document.documentElement.scrollWidth, culprits };
}

// Saves the first screen at a width, under a temporary name renamed at the end.
async function screenshot(page, size, file) {
    await page.setViewportSize(size);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
    const tmp = file + '.tmp';
    fs.writeFileSync(tmp, await page.screenshot({ type: 'png', timeout: LOAD_TIMEOUT }));
    fs.renameSync(tmp, file);
}

// The search box, offline: each query, typed as a reader would, must list
// results, and each result is a link checked with the others.
const SEARCH_QUERIES = ['softmax jacobian', 'cosine annealing', 'saddle'];
async function checkSearch(page, result) {
    const problems = [];
    for (const query of SEARCH_QUERIES) {
        await page.fill('#kit-search-box', query);
        const hrefs = await page.$$eval('#kit-search-results a', (as) => as.map((a) => ({ raw: a.getAttribute('href'), url: a.href })));
        if (!hrefs.length) problems.push(`the search for "${query}" found nothing`);
        result.links.push(...hrefs);
    }
    await page.fill('#kit-search-box', '');
    return problems;
}

// Opens one page and checks what can be checked inside it.
async function checkPage(context, file, htmlDir, shotsDir) {
    const rel = path.relative(htmlDir, file);
    const result = { rel, file, problems: [], ids: [], links: [], maths: 0, images: 0 };
    const page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') result.problems.push(`console error: ${m.text()}`); });
    page.on('pageerror', (e) => result.problems.push(`uncaught exception: ${e.message}`));
    page.on('requestfailed', (r) => result.problems.push(`request failed: ${r.url()} (${r.failure().errorText})`));
    page.on('request', (r) => {
        if (!/^(file|data|blob|about):/.test(r.url())) result.problems.push(`request off the file system: ${r.url()}`);
    });
    try {
        await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: LOAD_TIMEOUT });
        const seen = await page.evaluate(inspectPage, LATEX_LEFTOVERS);
        Object.assign(result, { ids: seen.ids, links: seen.links, maths: seen.maths, images: seen.images });
        result.problems.push(...seen.problems);
        for (const url of seen.objects)
            if (!url.startsWith('file:') || !fs.existsSync(fileURLToPath(url))) result.problems.push(`embedded file is missing: ${url}`);
        const wide = await page.evaluate(overflowCulprits);
        if (wide) result.problems.push(`wider than a phone (${wide.scrollWidth}px > ${PHONE.width}px) because of: ${[...new Set(wide.culprits)].slice(0, 6).join(', ') || '(unknown)'}`);
        if (rel === 'index.html') result.problems.push(...await checkSearch(page, result));
        if (!rel.includes(path.sep)) {      // a book page: its first screen
            const base = path.join(shotsDir, rel.replace(/\.html$/, ''));
            await screenshot(page, PHONE, base + '-phone.png');
            await screenshot(page, DESKTOP, base + '-desktop.png');
        }
    } catch (e) {
        result.problems.push(`could not check the page: ${e.message.split('\n')[0]}`);
    }
    await page.close();
    return result;
}

// Checks every page's links against the files and the ids the pages have.
function checkLinks(results, htmlDir, totals) {
    const idsOf = new Map(results.map((r) => [r.file, new Set(r.ids)]));
    for (const r of results) {
        for (const { raw, url } of r.links) {
            if (/^(https?|mailto|data):/i.test(raw)) continue;   // not a file of the book
            const u = new URL(url);
            if (u.protocol !== 'file:') { r.problems.push(`link is neither a file nor a web address: ${raw}`); continue; }
            const target = fileURLToPath('file://' + u.pathname);
            totals.links++;
            if (path.relative(htmlDir, target).startsWith('..')) { r.problems.push(`link leaves the html directory: ${raw}`); continue; }
            if (!fs.existsSync(target)) { r.problems.push(`link to a missing file: ${raw}`); continue; }
            if (fs.statSync(target).isDirectory()) { r.problems.push(`link to a directory (a file:// reader gets a listing, not index.html): ${raw}`); continue; }
            const fragment = decodeURIComponent(u.hash.slice(1));
            if (!fragment || fragment.toLowerCase() === 'top' || !idsOf.has(target)) continue;
            totals.anchors++;
            if (!idsOf.get(target).has(fragment)) r.problems.push(`link to a missing anchor: ${raw}`);
        }
    }
}

// Runs fn over items with at most n running at once; results keep the order.
async function inParallel(items, n, fn) {
    const results = new Array(items.length);
    let next = 0;
    const worker = async () => { while (next < items.length) { const i = next++; results[i] = await fn(items[i]); } };
    await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
    return results;
}

function report(results, totals, seconds) {
    for (const r of results) {
        const counts = `${r.maths} MathML, ${r.images} images, ${r.links.length} links`;
        const unique = [...new Set(r.problems)];
        if (!unique.length) { console.log(`  PASS    html: ${r.rel} (${counts})`); continue; }
        console.log(`  FAIL    html: ${r.rel}: ${unique.length} problem(s) (${counts})`);
        for (const p of unique.slice(0, MAX_DETAILS)) console.log(`            ${p}`);
        if (unique.length > MAX_DETAILS) console.log(`            ... and ${unique.length - MAX_DETAILS} more`);
    }
    const failed = results.filter((r) => r.problems.length).length;
    console.log(`html: ${results.length} pages, ${totals.maths} MathML equations, ${totals.images} images, ` +
        `${totals.links} internal links, ${totals.anchors} anchors checked in ${seconds.toFixed(1)} s`);
    console.log(`html: ${results.length - failed} passed, ${failed} failed`);
    return failed;
}

async function main() {
    const [htmlArg, shotsArg] = process.argv.slice(2);
    if (!htmlArg || !shotsArg) {
        console.error('usage: node tools/html-test/test-html.js HTML_DIR SHOTS_DIR   (e.g. build/html build/html-shots)');
        process.exit(2);
    }
    const htmlDir = path.resolve(htmlArg), shotsDir = path.resolve(shotsArg);
    if (!fs.existsSync(path.join(htmlDir, 'index.html'))) {
        console.error(`test-html.js: ${htmlArg} is not a built web edition (no ${path.join(htmlArg, 'index.html')}): run make html first`);
        process.exit(2);
    }
    if (!fs.existsSync(CHROMIUM)) {
        console.error(`test-html.js: ${CHROMIUM} is missing: apt-get install -y chromium`);
        process.exit(2);
    }
    fs.mkdirSync(shotsDir, { recursive: true });

    const { chromium } = loadPlaywright();
    const start = Date.now();
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: LOAD_TIMEOUT });
    const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1 });
    context.setDefaultTimeout(LOAD_TIMEOUT);
    const results = await inParallel(htmlFiles(htmlDir), PARALLEL,
        (file) => checkPage(context, file, htmlDir, shotsDir));
    await browser.close();

    const totals = { links: 0, anchors: 0,
        maths: results.reduce((n, r) => n + r.maths, 0), images: results.reduce((n, r) => n + r.images, 0) };
    checkLinks(results, htmlDir, totals);
    const failed = report(results, totals, (Date.now() - start) / 1000);
    process.exit(failed ? 1 : 0);
}

main().catch((e) => { console.error(`test-html.js: ${e.stack || e}`); process.exit(1); });
