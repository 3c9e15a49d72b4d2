// One tile of the library grid: thumbnail (images) or a glyph (audio, text), health badge, tags, selection.
import { createContext, memo, useContext, useEffect, useState, type MouseEvent } from 'react';
import type { AssetSummary } from '../../../preload/contract';
import { api } from '../../platform';
import { AudioIcon, CheckIcon, TextIcon, WarningIcon } from '../../ui/icons';
import { useToasts } from '../toasts/store';
import { CHECK_LABELS } from './filters';
import { cropPosition } from './grid-layout';
import { isFlinging } from './scroll-speed';
import { useAssets } from './store';
import { ThumbnailCache, ThumbnailError } from './thumbnail-cache';

export const CacheContext = createContext<ThumbnailCache | null>(null);

/** Below this on the short side an image still imports but trains less well (PRODUCT.md, asset checks). */
export const RECOMMENDED_MIN_SIDE = 1024;
/**
 * A tile asks for its thumbnail only after staying on screen this long, so a fast fling over thousands
 * of rows does not queue thousands of thumbnail reads it will never show.
 */
const THUMBNAIL_SETTLE_MS = 90;
/** Tag chips shown on a tile; the rest is a "+n". */
const TILE_TAGS_SHOWN = 3;

/** "3:07" / "1:02:07" for a duration in milliseconds. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

// Word counts are in the quality report, not the summary; fetched once per text asset that scrolls into view.
const wordCounts = new Map<string, Promise<number | null>>();
function wordsOf(assetId: string): Promise<number | null> {
  let known = wordCounts.get(assetId);
  if (!known) {
    known = api.assets.get({ assetId }).then((r) => (r.ok ? (r.value.report.text?.words ?? null) : null));
    wordCounts.set(assetId, known);
  }
  return known;
}

export interface TileEvents {
  onClick(index: number, event: MouseEvent): void;
  onOpen(index: number): void;
}

export const AssetTile = memo(function AssetTile({
  index,
  width,
  events,
}: {
  index: number;
  width: number;
  events: TileEvents;
}) {
  const asset = useAssets((s) => s.items[index]);
  const selected = useAssets((s) => (asset ? s.selection.selected.has(asset.id) : false));
  const focused = useAssets((s) => s.selection.focus === index);
  const open = useAssets((s) => (asset ? s.openAssetId === asset.id : false));

  if (!asset) {
    return (
      <div className="asset-tile placeholder" style={{ width }} aria-hidden="true">
        <div className="thumb-frame" />
        <div className="asset-caption">
          <span className="skeleton-line" />
          <span className="skeleton-line short" />
        </div>
      </div>
    );
  }

  const classes = ['asset-tile'];
  if (selected) classes.push('selected');
  if (focused) classes.push('focused');
  if (open) classes.push('open');
  return (
    <div
      id={`asset-option-${index}`}
      role="option"
      aria-selected={selected}
      aria-label={asset.originalName}
      className={classes.join(' ')}
      style={{ width }}
      data-testid="asset-tile"
      data-asset-id={asset.id}
      data-selected={selected ? 'true' : undefined}
      onClick={(e) => events.onClick(index, e)}
      onDoubleClick={() => events.onOpen(index)}
    >
      <div className="thumb-frame-wrap">
        {asset.kind === 'image' ? <Thumb key={asset.id} asset={asset} /> : <Glyph key={asset.id} asset={asset} />}
        <span className={`select-mark${selected ? ' on' : ''}`} aria-hidden="true">
          {selected ? <CheckIcon /> : null}
        </span>
        <HealthBadge asset={asset} />
      </div>
      <div className="asset-caption">
        <span className="asset-name" title={asset.originalName}>
          {asset.originalName}
        </span>
        <span className="asset-meta">
          <Meta asset={asset} />
        </span>
        <TagLine asset={asset} />
      </div>
    </div>
  );
});

function Meta({ asset }: { asset: AssetSummary }) {
  if (asset.kind === 'image') {
    const small =
      asset.width !== null && asset.height !== null && Math.min(asset.width, asset.height) < RECOMMENDED_MIN_SIDE;
    return (
      <>
        <span className={small ? 'asset-small' : undefined} title={small ? `Smaller than the recommended ${RECOMMENDED_MIN_SIDE} px on the short side` : undefined}>
          {asset.width !== null && asset.height !== null ? `${asset.width} × ${asset.height}` : 'image'}
        </span>
        {asset.crop ? <span title="A square crop is set">cropped</span> : null}
      </>
    );
  }
  if (asset.kind === 'audio') {
    return (
      <>
        <span>{asset.durationMs !== null ? formatDuration(asset.durationMs) : 'audio'}</span>
        {asset.trim ? <span title="A training span is set">trimmed</span> : null}
      </>
    );
  }
  return <span>text</span>;
}

function HealthBadge({ asset }: { asset: AssetSummary }) {
  if (asset.health !== 'warning' && asset.health !== 'error') return null;
  const n = asset.problems.length;
  const what = asset.problems.map((p) => CHECK_LABELS[p]).join(', ');
  const label = `${n} ${n === 1 ? 'problem' : 'problems'}${what ? `: ${what}` : ''}`;
  return (
    <span className={`health-badge ${asset.health}`} title={label} aria-label={label} data-testid="asset-health">
      <WarningIcon />
      {n > 0 ? n : null}
    </span>
  );
}

function TagLine({ asset }: { asset: AssetSummary }) {
  if (asset.tags.length === 0) return <span className="tile-tags empty" />;
  const shown = asset.tags.slice(0, TILE_TAGS_SHOWN);
  const rest = asset.tags.length - shown.length;
  return (
    <span className="tile-tags" title={asset.tags.map((t) => `${t.kind}: ${t.value}`).join('\n')}>
      {shown.map((t) => (
        <span key={`${t.kind}:${t.value}`} className={`tag-chip small kind-${t.kind}`} data-testid="asset-tag">
          {t.value}
        </span>
      ))}
      {rest > 0 ? <span className="tag-more">+{rest}</span> : null}
    </span>
  );
}

function Glyph({ asset }: { asset: AssetSummary }) {
  const [words, setWords] = useState<number | null>(null);
  useEffect(() => {
    if (asset.kind !== 'text') return;
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const whenSettled = () => {
      if (isFlinging(performance.now())) {
        timer = setTimeout(whenSettled, THUMBNAIL_SETTLE_MS);
        return;
      }
      void wordsOf(asset.id).then((n) => {
        if (alive) setWords(n);
      });
    };
    timer = setTimeout(whenSettled, THUMBNAIL_SETTLE_MS);
    return () => {
      alive = false;
      if (timer) clearTimeout(timer);
    };
  }, [asset.id, asset.kind]);

  return (
    <div className={`thumb-frame glyph ${asset.kind}`} data-testid="asset-glyph">
      {asset.kind === 'audio' ? <AudioIcon size={40} /> : <TextIcon size={40} />}
      <span className="glyph-figure">
        {asset.kind === 'audio'
          ? asset.durationMs !== null
            ? formatDuration(asset.durationMs)
            : ''
          : words !== null
            ? `${words.toLocaleString('en-US')} ${words === 1 ? 'word' : 'words'}`
            : ''}
      </span>
    </div>
  );
}

function Thumb({ asset }: { asset: AssetSummary }) {
  const cache = useContext(CacheContext);
  const [url, setUrl] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [decoded, setDecoded] = useState(false);

  useEffect(() => {
    if (!cache) return;
    let alive = true;
    let acquired = false;
    // Already cached: show it at once; otherwise wait until the tile stays on screen.
    const start = () => {
      acquired = true;
      cache.acquire(asset.id).then(
        (objectUrl) => {
          if (alive) setUrl(objectUrl);
        },
        (e: unknown) => {
          if (!alive || !(e instanceof ThumbnailError) || e.info.code === 'CANCELLED') return;
          setProblem(e.info.message);
          useToasts.getState().showError(e.info, 'A preview could not be loaded');
        },
      );
    };
    let timer: ReturnType<typeof setTimeout> | null = null;
    const whenSettled = () => {
      if (isFlinging(performance.now())) timer = setTimeout(whenSettled, THUMBNAIL_SETTLE_MS);
      else start();
    };
    if (cache.has(asset.id)) start();
    else timer = setTimeout(whenSettled, THUMBNAIL_SETTLE_MS);
    return () => {
      alive = false;
      if (timer) clearTimeout(timer);
      if (acquired) cache.release(asset.id);
    };
  }, [cache, asset.id]);

  return (
    <div className={`thumb-frame${decoded ? ' ready' : ''}`}>
      <img
        data-testid="asset-thumb"
        alt={asset.originalName}
        src={url ?? undefined}
        data-loaded={decoded ? 'true' : undefined}
        draggable={false}
        decoding="async"
        style={asset.crop ? { objectPosition: cropPosition(asset) } : undefined}
        onLoad={(e) => {
          const img = e.currentTarget;
          void img
            .decode()
            .catch(() => undefined)
            .then(() => setDecoded(true));
        }}
        onError={() => {
          if (url) setProblem('This preview could not be shown.');
        }}
      />
      {problem ? (
        <span className="thumb-missing" title={problem}>
          No preview
        </span>
      ) : null}
    </div>
  );
}
