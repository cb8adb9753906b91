import type { Health } from '@/lib/health/clusterHealth';

/** Status colours for a health, as whole class names (Tailwind finds them in the source): frame, word, tint. */
export const HEALTH_STYLE: Record<Health, { frame: string; text: string; tint: string }> = {
  ok: { frame: 'border-ok', text: 'text-ok', tint: 'bg-panel' },
  degraded: { frame: 'border-warn', text: 'text-warn', tint: 'bg-warn/10' },
  down: { frame: 'border-crit', text: 'text-crit', tint: 'bg-crit/15' },
  unknown: { frame: 'border-unknown', text: 'text-unknown', tint: 'bg-panel' },
};

export const TONE_TEXT = { warn: 'text-warn', crit: 'text-crit' } as const;
