import type { ReactNode } from 'react';
import { GLOSSARY, type GlossaryWord } from '@/lib/glossary';

/**
 * A protocol word shown in plain language with its explanation as a tooltip (title, and focusable so keyboards get it
 * too). `children` replaces the plain label where the context needs other words.
 */
export function Term({ word, children, raw = false }: { word: GlossaryWord; children?: ReactNode; raw?: boolean }) {
  const entry = GLOSSARY[word];
  return (
    <abbr
      title={entry.tip}
      tabIndex={0}
      className="cursor-help no-underline decoration-dotted underline-offset-2 hover:underline focus:underline"
      data-term={word}
    >
      {children ?? entry.label}
      {raw && <span className="ml-1 text-muted">({word})</span>}
    </abbr>
  );
}
