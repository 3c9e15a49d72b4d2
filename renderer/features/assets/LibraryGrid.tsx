// The virtualised grid: rows of tiles over a sparse list, pages fetched as rows come into view, keyboard selection.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { AssetTile, type TileEvents } from './AssetTile';
import { TILE_GAP, gridLayout, rowIndexes } from './grid-layout';
import { noteScroll, resetScrollSpeed } from './scroll-speed';
import { isFocusKey, moveFocus } from './selection';
import { useAssets } from './store';

/** Rows rendered above and below the visible ones, so a normal scroll never shows empty space. */
const OVERSCAN_ROWS = 3;
/** Rows fetched ahead of what is rendered, so pages arrive before they scroll into view. */
const PREFETCH_ROWS = 8;

export function LibraryGrid({ mac }: { mac: boolean }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const total = useAssets((s) => s.total);
  const focus = useAssets((s) => s.selection.focus);
  const scrollRequest = useAssets((s) => s.scrollRequest);
  const layout = gridLayout(width, total);
  const { columns, rowHeight, tileWidth, rows } = layout;

  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const measure = () => setWidth(element.clientWidth);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    resetScrollSpeed();
    const onScroll = () => noteScroll(element.scrollTop, performance.now());
    element.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      observer.disconnect();
      element.removeEventListener('scroll', onScroll);
    };
  }, []);

  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: OVERSCAN_ROWS,
    // React 19 batches the re-render; a synchronous flush on every scroll event only costs frames.
    useFlushSync: false,
  });

  useEffect(() => {
    virtualizer.measure();
  }, [virtualizer, rowHeight, columns]);

  const virtualRows = virtualizer.getVirtualItems();
  const firstRow = virtualRows[0]?.index ?? 0;
  const lastRow = virtualRows[virtualRows.length - 1]?.index ?? 0;

  useEffect(() => {
    if (total === 0) return;
    const start = Math.max(0, firstRow - PREFETCH_ROWS) * columns;
    const end = Math.min(total, (lastRow + 1 + PREFETCH_ROWS) * columns);
    useAssets.getState().ensureRange(start, end);
  }, [firstRow, lastRow, columns, total]);

  useEffect(() => {
    if (!scrollRequest || columns === 0) return;
    virtualizer.scrollToIndex(Math.floor(scrollRequest.index / columns), { align: 'auto' });
  }, [scrollRequest, columns, virtualizer]);

  const events = useMemo<TileEvents>(
    () => ({
      onClick(index: number, event: MouseEvent) {
        scrollRef.current?.focus({ preventScroll: true });
        void useAssets.getState().click(index, { toggle: event.ctrlKey || event.metaKey, range: event.shiftKey });
      },
      onOpen(index: number) {
        const id = useAssets.getState().items[index]?.id;
        if (id) useAssets.getState().openAsset(id);
      },
    }),
    [],
  );

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const state = useAssets.getState();
    if (isFocusKey(event.key)) {
      event.preventDefault();
      const viewRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? rowHeight) / rowHeight));
      const next = moveFocus(state.selection.focus, event.key, columns, state.total, viewRows);
      if (next === null) return;
      void state.setFocus(next, event.shiftKey);
      if (!event.shiftKey && !(event.ctrlKey || event.metaKey)) {
        // A plain arrow moves the selection with the focus, as in a file manager.
        const id = state.items[next]?.id;
        if (id) useAssets.setState({ selection: { selected: new Set([id]), anchor: next, focus: next } });
      }
      return;
    }
    if (event.key === ' ') {
      event.preventDefault();
      state.toggleFocused();
      return;
    }
    if (event.key === 'Enter') {
      event.preventDefault();
      const index = state.selection.focus;
      const id = index !== null ? state.items[index]?.id : undefined;
      if (id) state.openAsset(id);
    }
  }

  const active = focus !== null && focus < total ? `asset-option-${focus}` : undefined;
  return (
    <div
      ref={scrollRef}
      className="asset-scroll"
      role="listbox"
      aria-multiselectable="true"
      aria-label={`Your assets. Arrows move, Shift extends, Space toggles, Enter opens, ${mac ? '⌘A' : 'Ctrl+A'} selects all matching.`}
      aria-activedescendant={active}
      tabIndex={0}
      data-testid="asset-grid"
      onKeyDown={onKeyDown}
    >
      <div className="asset-rows" style={{ height: virtualizer.getTotalSize() }}>
        {virtualRows.map((row) => {
          const [start, end] = rowIndexes(row.index, columns, total);
          const tiles = [];
          for (let i = start; i < end; i++) tiles.push(<AssetTile key={i} index={i} width={tileWidth} events={events} />);
          return (
            <div
              key={row.key}
              className="asset-row"
              role="presentation"
              style={{ transform: `translateY(${row.start}px)`, height: rowHeight - TILE_GAP, gap: TILE_GAP }}
            >
              {tiles}
            </div>
          );
        })}
      </div>
    </div>
  );
}
