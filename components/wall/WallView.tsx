'use client';

import Link from 'next/link';
import { type CSSProperties, useEffect, useState } from 'react';
import type { ClusterSummary } from '@/lib/api/types';
import { useSessionEnded } from '@/lib/client/session';
import { formatCount, formatTimeOfDay } from '@/lib/format';
import type { GlossaryWord } from '@/lib/glossary';
import { HEALTH_LABEL } from '@/lib/health/clusterHealth';
import { formatMemoryPct, memoryTone, type ShardGlance, type ShardState } from '@/lib/overview/glance';
import { WALL_PAGE_MS, wallGrid, wallPages } from '@/lib/overview/wallGrid';
import { SessionEnded } from '../auth/SessionEnded';
import { Term } from '../common/Term';
import { HealthTally, viewHealth } from '../overview/ClusterCards';
import { HEALTH_STYLE } from '../overview/healthStyle';
import { isSentinelGlance } from '../overview/sentinelGlance';
import { type ClusterView, useClusterGlances } from '../overview/useClusterGlances';
import { SentinelTileBody } from './SentinelTileBody';
import { fs, SIZE, WallStat } from './wallParts';

/** A shard's state never by colour alone: an icon and a word, with the protocol word as a tooltip. */
const SHARD_STATE: Record<ShardState, { icon: string; word: string; term?: GlossaryWord; className: string }> = {
  up: { icon: '✓', word: 'up', className: 'text-ok bg-bg/60' },
  suspected: { icon: '!', word: 'suspected', term: 'PFAIL', className: 'text-warn bg-warn/15' },
  down: { icon: '✕', word: 'down', term: 'FAIL', className: 'text-crit bg-crit/20' },
  unreachable: { icon: '?', word: 'unreachable', term: 'unreachable', className: 'text-warn bg-warn/15' },
  noReplica: { icon: '!', word: 'no replica', className: 'text-warn bg-warn/15' },
  notPolled: { icon: '⊘', word: 'not polled', className: 'text-warn bg-warn/15' },
};

/** Old data is never drawn in status colours (an old "up" in green is the worst lie a wall can tell). */
const STALE_CELL = 'text-unknown bg-bg/60';

/** Past this many shards the strip shows the shards that are not up, and the others as one count. */
const STRIP_MAX = 12;

function ShardCell({ shard, stale, compact }: { shard: ShardGlance; stale: boolean; compact: boolean }) {
  const s = SHARD_STATE[shard.state];
  // A shard that is not up is as wide as its word needs (never "! su…"); the up ones share what is left.
  const width = shard.state === 'up' ? `min-w-0 flex-1 ${compact ? 'basis-[6cqw]' : 'basis-[14cqw]'}` : 'flex-auto';
  return (
    <li
      className={`flex flex-col justify-center rounded-sm px-[1cqw] py-[0.8cqh] ${width} ${stale ? STALE_CELL : s.className}`}
      style={{ borderTop: `1.4cqh solid ${shard.color}` }}
      title={`${shard.addr}: slots ${shard.slotLabel} (${formatCount(shard.slotCount)})`}
      data-testid="wall-shard"
      data-master-id={shard.masterId}
      data-state={shard.state}
    >
      <span className="truncate font-bold leading-tight" style={fs(SIZE.shard)}>
        <span aria-hidden="true">{s.icon}</span>{' '}
        {s.term ? (
          <Term word={s.term}>{s.word}</Term>
        ) : (
          // Many shards: an up one is its tick alone (the word stays for screen readers); the others keep their word.
          <span className={compact ? 'sr-only' : undefined}>{s.word}</span>
        )}
      </span>
      {!compact && (
        <span className="tabular truncate leading-tight text-muted" style={fs(SIZE.label)}>
          {shard.slotLabel}
        </span>
      )}
    </li>
  );
}

function ShardStrip({ shards, stale }: { shards: ShardGlance[]; stale: boolean }) {
  const notUp = shards.filter((s) => s.state !== 'up');
  // Up to STRIP_MAX shards, one cell each; past that, the ones not up first, and the rest as one count.
  const shown = shards.length <= STRIP_MAX ? shards : notUp.slice(0, STRIP_MAX - 1);
  const rest = shards.length - shown.length;
  const restNotUp = shards.length <= STRIP_MAX ? 0 : notUp.length - shown.length;
  // More than one row's worth: cells drop the slot range so two rows still fit in the tile.
  const compact = shown.length + (rest > 0 ? 1 : 0) > 6;
  return (
    <div>
      <div className="uppercase tracking-wider text-muted" style={fs(SIZE.label)}>
        shards <span className="normal-case">({shards.length})</span>
      </div>
      <ul className="mt-[0.6cqh] flex flex-wrap gap-[0.8cqw]" data-testid="wall-shards" data-count={shards.length}>
        {shown.map((shard) => (
          <ShardCell key={shard.masterId} shard={shard} stale={stale} compact={compact} />
        ))}
        {rest > 0 && (
          <li
            className="flex flex-auto flex-col justify-center rounded-sm bg-bg/60 px-[1cqw] py-[0.8cqh]"
            style={{ borderTop: '1.4cqh solid var(--border)' }}
            data-testid="wall-shards-rest"
          >
            <span
              className={`truncate font-bold leading-tight ${stale ? 'text-unknown' : restNotUp > 0 ? 'text-warn' : 'text-ok'}`}
              style={fs(SIZE.shard)}
            >
              {restNotUp > 0 ? (
                <>
                  <span aria-hidden="true">!</span> {rest} more, {restNotUp} not up
                </>
              ) : (
                <>
                  <span aria-hidden="true">✓</span> {rest} more up
                </>
              )}
            </span>
          </li>
        )}
        {shards.length === 0 && (
          <li className="text-muted" style={fs(SIZE.shard)}>
            no master owns slots
          </li>
        )}
      </ul>
    </div>
  );
}

function Updated({ view, now }: { view: ClusterView; now: number }) {
  const { since, freshness } = view;
  if (!since || !freshness)
    return (
      <span className="text-unknown" data-testid="wall-freshness" data-freshness="none">
        no data yet
      </span>
    );
  if (freshness === 'stale')
    return (
      <span
        className="rounded-sm bg-unknown/25 px-[0.8cqw] font-bold text-text"
        data-testid="wall-freshness"
        data-freshness="stale"
      >
        STALE since {formatTimeOfDay(since)}
      </span>
    );
  const lagging = freshness === 'lagging';
  return (
    <span
      className={`tabular ${lagging ? 'text-unknown' : 'text-muted'}`}
      data-testid="wall-freshness"
      data-freshness={freshness}
    >
      updated {formatTimeOfDay(since)}
      {lagging && ` (${Math.round((now - since.getTime()) / 1000)} s ago)`}
    </span>
  );
}

function WallTile({ view, now, last, linked }: { view: ClusterView; now: number; last: boolean; linked: boolean }) {
  const { cluster, glance, freshness } = view;
  const health = viewHealth(view);
  const style = HEALTH_STYLE[health];
  const stale = freshness === 'stale';
  const detail = glance?.detail ?? (view.error ? `no data: ${view.error}` : 'waiting for the first poll…');
  const sentinel = isSentinelGlance(glance) ? glance : undefined;
  const kind = sentinel || cluster.kind === 'sentinel' ? 'sentinel' : 'cluster';
  const name = {
    className: 'min-w-0 truncate font-semibold leading-tight text-text',
    style: fs(SIZE.name),
    'data-testid': 'wall-name',
  };
  return (
    <section
      className={`flex min-h-0 min-w-0 flex-col justify-between overflow-hidden rounded-[1cqh] [container-type:size] ${last ? 'col-span-(--span) portrait:col-span-(--pspan)' : ''} ${style.frame} ${style.tint}`}
      style={{ borderWidth: 'max(4px, 0.9cqh)', padding: SIZE.pad }}
      aria-label={`${cluster.name}: ${HEALTH_LABEL[health]}`}
      data-testid="wall-tile"
      data-cluster-id={cluster.id}
      data-kind={kind}
      data-health={health}
      data-freshness={freshness ?? 'none'}
    >
      <div className="flex items-baseline justify-between gap-[2cqw]">
        <div className="flex min-w-0 items-baseline gap-[1cqw]">
          {linked ? (
            <Link href={`/clusters/${encodeURIComponent(cluster.id)}`} {...name}>
              {cluster.name}
            </Link>
          ) : (
            <span {...name}>{cluster.name}</span>
          )}
          {kind === 'sentinel' && (
            <span
              className="shrink-0 uppercase tracking-wider text-muted"
              style={fs(SIZE.label)}
              data-testid="wall-kind"
            >
              sentinel
            </span>
          )}
        </div>
        <span className="shrink-0" style={fs(SIZE.label)}>
          <Updated view={view} now={now} />
        </span>
      </div>
      <div className="min-h-0">
        <div
          className={`whitespace-nowrap font-black leading-none tracking-tight ${style.text}`}
          style={fs(SIZE.health)}
          data-testid="wall-headline"
        >
          {HEALTH_LABEL[health]}
        </div>
        <p
          className={`mt-[1cqh] line-clamp-2 font-semibold leading-tight ${health === 'ok' ? 'text-text' : style.text}`}
          style={fs(SIZE.finding)}
          data-testid="wall-finding"
        >
          {detail}
        </p>
      </div>
      {sentinel ? (
        <SentinelTileBody glance={sentinel} stale={stale} />
      ) : glance && glance.nodesKnown + glance.nodesNotPolled > 0 ? (
        <div className={`flex flex-col gap-[2.4cqh] ${stale ? 'opacity-50' : ''}`}>
          <ShardStrip shards={glance.shards} stale={stale} />
          <div className="grid grid-cols-4 gap-[2cqw]">
            <WallStat
              label="nodes up"
              value={`${glance.nodesUp}/${glance.nodesKnown}`}
              tone={!stale && glance.nodesUp < glance.nodesKnown ? 'crit' : undefined}
              testId="wall-nodes-up"
              note={glance.nodesNotPolled > 0 ? `+${glance.nodesNotPolled} not polled` : undefined}
            />
            <WallStat
              label={<Term word="mastersWithSlots">masters</Term>}
              value={formatCount(glance.masters)}
              testId="wall-masters"
            />
            <WallStat label="ops/s" value={formatCount(glance.opsPerSec)} testId="wall-ops" />
            <WallStat
              label="memory"
              value={formatMemoryPct(glance.memory)}
              tone={stale ? undefined : memoryTone(glance.memory)}
              testId="wall-memory"
            />
          </div>
        </div>
      ) : (
        <div />
      )}
    </section>
  );
}

/** hh:mm:ss, ticking; rendered only in the browser (the server's clock and zone are not the wall's). */
function WallClock() {
  const [now, setNow] = useState<Date>();
  useEffect(() => {
    setNow(new Date());
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, []);
  const zone = now?.toLocaleTimeString('en-GB', { timeZoneName: 'short' }).split(' ').at(-1);
  return (
    <span className="tabular font-bold text-text" data-testid="wall-clock">
      {now ? formatTimeOfDay(now) : '--:--:--'}
      {zone && <span className="ml-[0.6vh] font-normal text-muted text-[0.6em]">{zone}</span>}
    </span>
  );
}

/**
 * Every configured cluster at once, readable across a room: no hover, no scrolling, stale data never green. `linked`:
 * names open the cluster page (not on a kiosk screen, which cannot open it).
 */
export function WallView({
  clusters,
  linked,
  kiosk,
}: {
  clusters: ClusterSummary[];
  linked: boolean;
  /** Shown to a kiosk session: an ended session says "open the new kiosk link", not "log in". */
  kiosk: boolean;
}) {
  const { views, now } = useClusterGlances(clusters);
  const sessionEnded = useSessionEnded();
  const pages = wallPages(views);
  const [pageIndex, setPageIndex] = useState(0);
  const pageCount = pages.length;
  useEffect(() => {
    if (pageCount <= 1) return;
    const timer = setInterval(() => setPageIndex((p) => (p + 1) % pageCount), WALL_PAGE_MS);
    return () => clearInterval(timer);
  }, [pageCount]);
  const page = pages[pageIndex % pageCount] ?? [];
  const { landscape, portrait } = wallGrid(page.length);
  // Landscape and portrait shapes both in CSS (the orientation media query picks), so nothing is measured in JS.
  const gridVars = {
    '--cols': landscape.cols,
    '--rows': landscape.rows,
    '--span': landscape.lastSpan,
    '--pcols': portrait.cols,
    '--prows': portrait.rows,
    '--pspan': portrait.lastSpan,
  } as CSSProperties;
  if (sessionEnded)
    return (
      <div className="flex h-full w-full items-center bg-bg p-[4vmin]" data-testid="wall">
        <SessionEnded kiosk={kiosk} wall />
      </div>
    );
  return (
    <div className="flex h-full w-full flex-col bg-bg" data-testid="wall" data-page={pageIndex % pageCount}>
      <div
        className="grid min-h-0 flex-1 gap-[0.6vmin] p-[0.6vmin] [grid-template-columns:repeat(var(--cols),minmax(0,1fr))] [grid-template-rows:repeat(var(--rows),minmax(0,1fr))] portrait:[grid-template-columns:repeat(var(--pcols),minmax(0,1fr))] portrait:[grid-template-rows:repeat(var(--prows),minmax(0,1fr))]"
        style={gridVars}
        data-testid="wall-grid"
      >
        {page.map((view, i) => (
          <WallTile key={view.cluster.id} view={view} now={now} last={i === page.length - 1} linked={linked} />
        ))}
        {clusters.length === 0 && (
          <p className="self-center text-center text-muted" style={{ fontSize: '4vh' }}>
            No clusters configured.
          </p>
        )}
      </div>
      <div
        className="flex h-[5vh] shrink-0 items-center justify-between gap-[2vw] px-[1.2vmin]"
        style={{ fontSize: 'min(2.8vh, 3.4vw)' }}
      >
        <HealthTally views={views} className="truncate font-semibold" />
        {pageCount > 1 && (
          <span className="text-muted" data-testid="wall-page">
            page {(pageIndex % pageCount) + 1} / {pageCount}
          </span>
        )}
        <WallClock />
      </div>
    </div>
  );
}
