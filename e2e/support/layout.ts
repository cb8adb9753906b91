// Layout checks read back from the rendered page, for the screenshot tests.
import type { Locator, Page } from '@playwright/test';

/**
 * Primary actions (buttons, links styled as actions, inputs) a user cannot see without scrolling sideways: the page
 * itself wider than the viewport, or an action clipped by a horizontally scrolled/clipped container.
 */
export async function hiddenActions(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > window.innerWidth + 1) {
      // Name the widest element that sticks out, so the report says what to fix.
      let culprit = '';
      let widest = window.innerWidth;
      for (const el of document.body.querySelectorAll<HTMLElement>('*')) {
        const right = el.getBoundingClientRect().right;
        if (right > widest + 1) {
          widest = right;
          const within = el.closest('[data-testid]') as HTMLElement | null;
          culprit = `${el.tagName.toLowerCase()} "${(el.textContent ?? '').slice(0, 40)}" in [data-testid=${within?.dataset.testid ?? '?'}]`;
        }
      }
      out.push(`page is ${doc.scrollWidth}px wide in ${window.innerWidth}px${culprit ? ` (widest: ${culprit})` : ''}`);
    }
    const actions = document.querySelectorAll<HTMLElement>('button, [role="button"], input, select, a[data-testid]');
    for (const action of actions) {
      const rect = action.getBoundingClientRect();
      if (rect.width === 0 && rect.height === 0) continue;
      if (action.closest('dialog:not([open]), [hidden], details:not([open])')) continue;
      const label = `${action.tagName.toLowerCase()} "${(action.textContent ?? action.getAttribute('aria-label') ?? '').trim().slice(0, 40)}"`;
      if (rect.right > window.innerWidth + 1) {
        out.push(`${label} ends at ${Math.round(rect.right)}px, past the viewport`);
        continue;
      }
      for (let parent = action.parentElement; parent; parent = parent.parentElement) {
        const style = getComputedStyle(parent);
        if (style.overflowX === 'visible') continue;
        const box = parent.getBoundingClientRect();
        if (parent.scrollWidth > parent.clientWidth + 1 && (rect.right > box.right + 1 || rect.left < box.left - 1)) {
          out.push(`${label} is behind a horizontal scroll (${parent.scrollWidth}px in ${parent.clientWidth}px)`);
          break;
        }
      }
    }
    return out;
  });
}

/** The element's computed font size and the height of another (e.g. a wall headline in its tile), in px. */
export async function fontSizeAndHeight(text: Locator, box: Locator): Promise<{ fontPx: number; boxPx: number }> {
  const fontPx = await text.evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
  const boxPx = (await box.boundingBox())?.height ?? 0;
  return { fontPx, boxPx };
}
