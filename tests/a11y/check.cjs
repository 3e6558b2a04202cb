// check.cjs: open an HTML report in the system's headless Chromium (driven
// by playwright-core), refuse every request that leaves the file (the page
// must be self-contained), open every "show the data" disclosure, inject
// axe-core and run it at WCAG 2.2 AA (wcag2a, wcag2aa, wcag21a, wcag21aa,
// wcag22aa), check the keyboard reaches each disclosure and that the page
// reflows without sideways scrolling at 1280, 390 and 320 px, and save
// screenshots at desktop (1280 px) and mobile (390 px) widths.
//
// usage: node check.cjs MODULES_DIR HTML_FILE SHOT_DIR
// Prints one line per finding; exits 0 only when there are none.
'use strict';
const path = require('path');
const fs = require('fs');

const [modulesArg, htmlFile, shotDir] = process.argv.slice(2);
const modules = modulesArg ? path.resolve(modulesArg) : modulesArg;
if (!modules || !htmlFile || !shotDir) {
  console.error('usage: node check.cjs MODULES_DIR HTML_FILE SHOT_DIR');
  process.exit(64);
}
const { chromium } = require(path.join(modules, 'playwright-core'));
const axePath = path.join(modules, 'axe-core', 'axe.min.js');
const browserPath = process.env.CHROMIUM || '/usr/bin/chromium';
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

async function main() {
  const problems = [];
  const browser = await chromium.launch({
    executablePath: browserPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const url = 'file://' + path.resolve(htmlFile);
    await page.route('**/*', (route) => {
      const u = route.request().url();
      if (u === url) return route.continue();
      problems.push('request leaves the file: ' + u);
      return route.abort();
    });
    await page.goto(url, { waitUntil: 'load' });
    await page.screenshot({ path: path.join(shotDir, 'desktop.png') });

    const facts = await page.evaluate(() => ({
      lang: document.documentElement.lang,
      h1: document.querySelectorAll('h1').length,
      levels: [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map((h) => +h.tagName[1]),
      svgs: document.querySelectorAll('svg').length,
      svgNamed: [...document.querySelectorAll('svg')].filter((s) =>
        s.getAttribute('role') === 'img' && s.querySelector(':scope > title') &&
        s.querySelector(':scope > desc') &&
        s.querySelector(':scope > desc').textContent.trim().length > 20).length,
      svgText: document.querySelectorAll('svg text').length,
      details: document.querySelectorAll('figure details').length,
      summaries: document.querySelectorAll('summary').length,
      tables: document.querySelectorAll('table').length,
      captioned: document.querySelectorAll('table > caption').length,
      printRules: [...document.styleSheets].some((s) =>
        [...s.cssRules].some((r) => r.media && r.media.mediaText === 'print')),
    }));
    if (facts.lang !== 'en-GB') problems.push('html lang is "' + facts.lang + '"');
    if (facts.h1 !== 1) problems.push(facts.h1 + ' h1 elements, not one');
    for (let i = 1; i < facts.levels.length; i++)
      if (facts.levels[i] > facts.levels[i - 1] + 1)
        problems.push('heading level skips from h' + facts.levels[i - 1] + ' to h' + facts.levels[i]);
    if (facts.svgs === 0) problems.push('no charts');
    if (facts.svgNamed !== facts.svgs)
      problems.push((facts.svgs - facts.svgNamed) + ' SVGs without role=img, title and desc');
    if (facts.svgText === 0) problems.push('the charts have no text elements');
    if (facts.details !== facts.svgs)
      problems.push(facts.details + ' "show the data" tables for ' + facts.svgs + ' charts');
    if (facts.captioned !== facts.tables)
      problems.push((facts.tables - facts.captioned) + ' tables without a caption');
    if (!facts.printRules) problems.push('no print stylesheet');

    // The keyboard: tabbing from the top reaches every disclosure.
    const reached = new Set();
    const stops = 4 * (facts.summaries + 200);
    for (let i = 0; i < stops && reached.size < facts.summaries; i++) {
      await page.keyboard.press('Tab');
      const tag = await page.evaluate(() => {
        const e = document.activeElement;
        if (!e || e.tagName !== 'SUMMARY') return null;
        return [...document.querySelectorAll('summary')].indexOf(e);
      });
      if (tag !== null) reached.add(tag);
    }
    if (reached.size !== facts.summaries)
      problems.push('Tab reached ' + reached.size + ' of ' + facts.summaries + ' disclosures');

    // axe, with every disclosure open so that the data tables count too.
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
    await page.addScriptTag({ content: fs.readFileSync(axePath, 'utf8') });
    const result = await page.evaluate(async (tags) => {
      const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
      return {
        version: window.axe.version,
        passes: r.passes.length,
        violations: r.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
          count: v.nodes.length,
        })),
      };
    }, TAGS);
    for (const v of result.violations)
      problems.push('axe ' + v.id + ' (' + v.impact + ', ' + v.count + ' nodes): ' +
                    v.help + ' at ' + v.nodes.join(', '));
    console.log('axe-core ' + result.version + ': ' + result.passes + ' rules passed, ' +
                result.violations.length + ' violated (' + TAGS.join(', ') + ')');
    console.log('page: ' + facts.svgs + ' charts, ' + facts.tables + ' tables, ' +
                facts.levels.length + ' headings');

    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = false; }));
    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(shotDir, 'mobile.png') });
    // A chart with its data open, on the phone.
    await page.evaluate(() => {
      const d = document.querySelector('figure details');
      if (d) { d.open = true; d.closest('figure').scrollIntoView(); }
    });
    await page.screenshot({ path: path.join(shotDir, 'mobile-chart.png') });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.evaluate(() => document.querySelector('figure').scrollIntoView());
    await page.screenshot({ path: path.join(shotDir, 'desktop-chart.png') });
    const horizontal = await page.evaluate(() =>
      document.documentElement.scrollWidth > document.documentElement.clientWidth);
    if (horizontal) problems.push('the page scrolls sideways at 1280 px');
    await page.setViewportSize({ width: 390, height: 844 });
    const narrow = await page.evaluate(() =>
      document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
    if (narrow) problems.push('the page scrolls sideways at 390 px');
    await page.setViewportSize({ width: 320, height: 640 });
    const reflow = await page.evaluate(() =>
      document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
    if (reflow) problems.push('the page scrolls sideways at 320 px (WCAG 1.4.10 reflow)');
  } finally {
    await browser.close();
  }
  for (const p of problems) console.log('PROBLEM ' + p);
  process.exit(problems.length ? 1 : 0);
}

main().catch((e) => {
  console.error('check.cjs: ' + (e && e.stack ? e.stack : e));
  process.exit(2);
});
