'use client';

import { useEffect } from 'react';
import { HEALTH_LABEL, type Health } from '@/lib/health/clusterHealth';

const FAVICON_COLOUR: Record<Health, string> = {
  ok: '#2fbf71',
  degraded: '#f2b632',
  down: '#ff4d4f',
  unknown: '#8b98a9',
};

function faviconFor(health: Health): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="16" cy="16" r="14" fill="${FAVICON_COLOUR[health]}"/></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/**
 * The tab says the health too ("DEGRADED · prod-cache"), and its icon takes the health colour, so a background tab
 * still tells an on-call engineer something is wrong. Restored when the page goes.
 */
export function useHealthTitle(health: Health | undefined, name: string): void {
  useEffect(() => {
    if (!health) return;
    const previousTitle = document.title;
    document.title = `${HEALTH_LABEL[health]} · ${name}`;
    const link = document.createElement('link');
    link.rel = 'icon';
    link.type = 'image/svg+xml';
    link.href = faviconFor(health);
    link.dataset.health = health;
    // Added last, so the browser prefers it; the app's own icon element (React's) is left alone.
    document.head.appendChild(link);
    return () => {
      document.title = previousTitle;
      link.remove();
    };
  }, [health, name]);
}
