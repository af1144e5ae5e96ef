/* eslint-disable @typescript-eslint/no-explicit-any -- page-side callbacks, checked without the DOM lib */
/**
 * The workstation's layout at the window sizes musicians use (1024×640, 1280×800, 1366×768,
 * 1920×1080), with the demo, a take, the render queue and an export on screen: the page never
 * scrolls sideways, no panel's content spills out of its box (element bounds), no piece of
 * text overlaps another (bounding boxes of the text itself, where it is visible), and the
 * loss chart is redrawn at its new size after a resize. Screenshots of each size go to
 * test-artifacts/e2e/layout-*.png.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumUnavailable, dismissIntro, screenshotter, setIterations, workstationSession } from './harness';

const skip = chromiumUnavailable();
const SIZES: [number, number][] = [
  [1024, 640],
  [1280, 800],
  [1366, 768],
  [1920, 1080],
];

/** Everything wrong with the layout on screen now, in words (empty when it is right). */
function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const w = globalThis as any;
    const d = w.document;
    const problems: string[] = [];
    const name = (e: any) =>
      `${e.tagName.toLowerCase()}${e.className && typeof e.className === 'string' ? `.${e.className.trim().split(/\s+/).join('.')}` : ''}${e.getAttribute('aria-label') ? `[${e.getAttribute('aria-label')}]` : ''}`;
    if (d.documentElement.scrollWidth > w.innerWidth + 1) problems.push(`the page scrolls sideways (${d.documentElement.scrollWidth} > ${w.innerWidth})`);
    if (d.documentElement.scrollHeight > w.innerHeight + 1) problems.push(`the page scrolls down (${d.documentElement.scrollHeight} > ${w.innerHeight})`);

    /**
     * The part of `own` (e's box, or a run of its text) that can be seen: cut by `e` and every
     * ancestor that clips.
     * `fixed` is the same cut by the boxes that hide what overflows them (overflow: hidden),
     * leaving out scroll containers, where a partly scrolled-out line is expected.
     */
    const visibleRect = (e: any, own = e.getBoundingClientRect()) => {
      let box = { l: own.left, t: own.top, r: own.right, b: own.bottom };
      let fixed = { ...box };
      // The page itself does not count as a box that cuts: what lies past the window's edge is scrolled, not squeezed.
      for (let a = e; a && a !== d.body; a = a.parentElement) {
        const cs = w.getComputedStyle(a);
        const r = a.getBoundingClientRect();
        const cut = (b: typeof box, x: boolean, y: boolean) => ({
          l: x ? Math.max(b.l, r.left) : b.l,
          r: x ? Math.min(b.r, r.right) : b.r,
          t: y ? Math.max(b.t, r.top) : b.t,
          b: y ? Math.min(b.b, r.bottom) : b.b,
        });
        box = cut(box, cs.overflowX !== 'visible', cs.overflowY !== 'visible');
        fixed = cut(fixed, cs.overflowX === 'hidden' || cs.overflowX === 'clip', cs.overflowY === 'hidden' || cs.overflowY === 'clip');
      }
      box = { l: Math.max(box.l, 0), t: Math.max(box.t, 0), r: Math.min(box.r, w.innerWidth), b: Math.min(box.b, w.innerHeight) };
      return box.r > box.l && box.b > box.t ? { ...box, fixed } : null;
    };
    const shown = (e: any) => {
      // A closed <details> keeps its content's boxes in Chromium, but shows only its summary.
      const closed = e.closest('details:not([open])');
      if (closed && !e.closest('summary') && e !== closed) return false;
      const cs = w.getComputedStyle(e);
      return cs.visibility !== 'hidden' && cs.display !== 'none' && Number(cs.opacity) > 0 && e.getClientRects().length > 0;
    };

    // Panels: every child inside its panel's box, unless the panel scrolls that way.
    const panels = d.querySelectorAll(
      '.transport, .transport > *, .view-toolbar, .ruler-row, .lane-head, .sidebar > .panel, .dock > .panel, .render-col, .chart-head, .advanced .field, .advanced .layer, .advanced .layer-head, .advanced .layer-picker, .export .field, .modal',
    );
    for (const p of panels) {
      if (!shown(p)) continue;
      const cs = w.getComputedStyle(p);
      const pr = p.getBoundingClientRect();
      const scrollsX = cs.overflowX === 'auto' || cs.overflowX === 'scroll';
      const scrollsY = cs.overflowY === 'auto' || cs.overflowY === 'scroll';
      if (!scrollsX && p.scrollWidth > p.clientWidth + 1 && cs.overflowX !== 'visible') problems.push(`${name(p)} cuts off its content (${p.scrollWidth} > ${p.clientWidth} px wide)`);
      for (const c of p.children) {
        if (!shown(c) || w.getComputedStyle(c).position === 'absolute' || w.getComputedStyle(c).position === 'fixed') continue;
        const cr = c.getBoundingClientRect();
        if (!scrollsX && (cr.left < pr.left - 1 || cr.right > pr.right + 1))
          problems.push(`${name(c)} sticks out of ${name(p)} sideways (${Math.round(cr.left)}–${Math.round(cr.right)} vs ${Math.round(pr.left)}–${Math.round(pr.right)})`);
        if (!scrollsY && (cr.top < pr.top - 1 || cr.bottom > pr.bottom + 1))
          problems.push(`${name(c)} sticks out of ${name(p)} vertically (${Math.round(cr.top)}–${Math.round(cr.bottom)} vs ${Math.round(pr.top)}–${Math.round(pr.bottom)})`);
      }
    }

    // Text: the boxes of every visible run of text (and every labelled control), pairwise.
    const boxes: { el: any; box: { l: number; t: number; r: number; b: number }; text: string }[] = [];
    const walker = d.createTreeWalker(d.body, 4 /* NodeFilter.SHOW_TEXT */);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!n.textContent.trim() || !el || el.closest('option, script, style, .visually-hidden, select') || !shown(el)) continue;
      const range = d.createRange();
      range.selectNodeContents(n);
      const r = range.getBoundingClientRect();
      const vis = visibleRect(el, r);
      if (!vis || r.width < 1) continue;
      // Cut at the top or bottom by a box too small for it (a squeezed line): unreadable.
      const seen = Math.min(r.bottom, vis.fixed.b) - Math.max(r.top, vis.fixed.t);
      if (seen > 0 && r.height - seen > 2) problems.push(`"${n.textContent.trim().slice(0, 30)}" is cut off (${Math.round(seen)} of ${Math.round(r.height)} px high)`);
      boxes.push({ el, box: vis, text: n.textContent.trim().slice(0, 30) });
    }
    for (const el of d.querySelectorAll('input, select, button, canvas[aria-label]')) {
      const vis = shown(el) && visibleRect(el);
      if (vis) boxes.push({ el, box: vis, text: `<${name(el)}>` });
    }
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i];
        const b = boxes[j];
        if (a.el === b.el || a.el.contains(b.el) || b.el.contains(a.el)) continue;
        // A modal or a notice lies on top of the page on purpose.
        const layer = (e: any) => e.closest('.modal-backdrop, .notices');
        if (layer(a.el) !== layer(b.el)) continue;
        const ix = Math.min(a.box.r, b.box.r) - Math.max(a.box.l, b.box.l);
        const iy = Math.min(a.box.b, b.box.b) - Math.max(a.box.t, b.box.t);
        if (ix > 1 && iy > 1) problems.push(`"${a.text}" overlaps "${b.text}" by ${Math.round(ix)}×${Math.round(iy)} px`);
      }
    }
    return [...new Set(problems)];
  });
}

describe.skipIf(!!skip)('layout at common window sizes (Chromium)', () => {
  let page: Page;
  const shot = screenshotter('layout');
  workstationSession({ width: 1280, height: 800, keepIntro: true, timeout: 240_000 }, async (p) => {
    page = p;
    await page.getByRole('dialog', { name: 'Welcome' }).waitFor();
    await shot(page, 'first-run');
    await dismissIntro(page);
    // A quick take, so a take lane, the queue, the loss chart and an export are on screen.
    await setIterations(page, 6, 8);
    await page.getByRole('button', { name: 'Render', exact: true }).click();
    await page.getByLabel('Take 1 lane').waitFor({ timeout: 120_000 });
    await page.getByRole('button', { name: /^Export (take|\d+ takes)$/ }).click();
    await page.getByLabel('Exported files').waitFor({ timeout: 30_000 });
  });

  for (const [width, height] of SIZES) {
    it(`${width}×${height}: nothing spills out of its panel, no text overlaps, the chart is redrawn`, async () => {
      await page.setViewportSize({ width, height });
      await page.waitForTimeout(400);
      await shot(page, `${width}x${height}`);
      expect(await layoutProblems(page)).toEqual([]);
      const chart = await page.getByLabel('Loss chart').evaluate((c: any) => ({ w: c.width, css: c.clientWidth, dpr: (globalThis as any).devicePixelRatio }));
      expect(chart.w).toBe(Math.round(chart.css * chart.dpr));
      // The Advanced section opened: every field has its tooltip, and it lays out too.
      await page.getByText('Advanced settings').click();
      await page.locator('.advanced').scrollIntoViewIfNeeded();
      const untitled = await page.locator('.advanced .field, .advanced .layer-picker').evaluateAll((els: any[]) => els.filter((e) => !e.title?.trim()).map((e) => e.textContent.slice(0, 40)));
      expect(untitled).toEqual([]);
      await shot(page, `${width}x${height}-advanced`);
      expect(await layoutProblems(page)).toEqual([]);
      await page.getByText('Advanced settings').click();
      // The shortcut sheet fits too.
      await page.keyboard.press('?');
      await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
      expect(await layoutProblems(page)).toEqual([]);
      await page.keyboard.press('Escape');
      await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor({ state: 'detached' });
      // A preset slower than real time says so in the status line before Render: that fits too.
      await page.getByLabel('Load preset Ulyanov texture').click();
      const discard = page.getByRole('button', { name: 'Load', exact: true });
      if (
        await discard.waitFor({ timeout: 2_000 }).then(
          () => true,
          () => false,
        )
      )
        await discard.click();
      await page.getByTestId('slow-stream').waitFor();
      expect(await layoutProblems(page)).toEqual([]);
    }, 60_000);
  }
});
