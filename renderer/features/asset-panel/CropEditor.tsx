// The square-crop editor: the 1024 px preview on a Konva stage, a square to drag and resize by its corners
// (kept square and inside the image), the outside dimmed; numbers shown and saved in original pixels.
import type Konva from 'konva';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { Group, Image as KonvaImage, Layer, Line, Rect, Stage } from 'react-konva';
import type { CropRect } from '../../../preload/contract';
import { api } from '../../platform';
import {
  CORNERS,
  CROP_RECOMMENDED_SIZE,
  cornerPoint,
  fitDisplay,
  growCrop,
  initialCrop,
  moveCropTo,
  nudgeCrop,
  nudgeStep,
  resizeFromCorner,
  sameCrop,
  toDisplayRect,
  type Corner,
  type ImageSize,
  type Viewport,
} from './crop-geometry';
import { useAssetBlob } from './use-asset-blob';

/** The editor never grows taller than this on screen, so the report stays in view below it. */
const EDITOR_MAX_HEIGHT = 460;
/** Corner handles are this big on screen: large enough to grab with a mouse or a finger. */
const HANDLE_PX = 14;
/** Outside the square the image is dimmed this much, so the kept part stands out in both themes. */
const DIM_OPACITY = 0.58;

const CURSORS: Record<Corner, string> = { nw: 'nwse-resize', se: 'nwse-resize', ne: 'nesw-resize', sw: 'nesw-resize' };

/**
 * Handles sit just inside their corner of the square (which is always inside the image), so they are
 * never cut off at the edge of the stage. This is the handle's top-left relative to its corner.
 */
function handleOffset(corner: Corner): { x: number; y: number } {
  return { x: corner === 'nw' || corner === 'sw' ? 0 : -HANDLE_PX, y: corner === 'nw' || corner === 'ne' ? 0 : -HANDLE_PX };
}

export interface CropEditorProps {
  assetId: string;
  /** The original image's size (the crop is in its pixels). */
  image: ImageSize;
  saved: CropRect | null;
  suggested: CropRect | null;
  busy: boolean;
  onSave(crop: CropRect | null): void;
}

function useLoadedImage(url: string | null): HTMLImageElement | null {
  const [loaded, setLoaded] = useState<{ url: string; img: HTMLImageElement } | null>(null);
  useEffect(() => {
    if (!url) return;
    const img = new window.Image();
    let live = true;
    img.onload = () => {
      if (live) setLoaded({ url, img });
    };
    img.src = url;
    return () => {
      live = false;
    };
  }, [url]);
  return loaded && loaded.url === url ? loaded.img : null;
}

function useWidth(): [RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement | null>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry?.contentRect.width ?? 0)));
    observer.observe(el);
    setWidth(Math.floor(el.getBoundingClientRect().width));
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

export function CropEditor({ assetId, image, saved, suggested, busy, onSave }: CropEditorProps) {
  const preview = useAssetBlob(`preview:${assetId}`, () => api.assets.preview({ assetId }));
  const img = useLoadedImage(preview.status === 'ready' ? preview.url : null);
  const [boxRef, boxWidth] = useWidth();
  const [crop, setCrop] = useState<CropRect>(() => initialCrop(image, saved, suggested));
  const stageRef = useRef<Konva.Stage | null>(null);

  // A new saved crop (saved here, or changed by undo elsewhere) becomes the working square.
  const savedKey = saved ? `${saved.x},${saved.y},${saved.size}` : 'none';
  useEffect(() => {
    setCrop(initialCrop(image, saved, suggested));
    // Only the saved crop's value (not object identity) decides.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [savedKey, image.width, image.height]);

  const display = useMemo(() => fitDisplay(image, { width: boxWidth, height: EDITOR_MAX_HEIGHT }), [image, boxWidth]);
  const viewport: Viewport = useMemo(() => ({ original: image, display }), [image, display]);
  const rect = toDisplayRect(viewport, crop);
  const changed = !sameCrop(crop, saved);

  function setCursor(cursor: string) {
    const container = stageRef.current?.container();
    if (container) container.style.cursor = cursor;
  }

  function onBodyDrag(event: Konva.KonvaEventObject<DragEvent>) {
    const node = event.target;
    const next = moveCropTo(viewport, crop, { x: node.x(), y: node.y() });
    const r = toDisplayRect(viewport, next);
    // Konva moved the node freely; put it where the clamped square is.
    node.position({ x: r.x, y: r.y });
    setCrop(next);
  }

  function onHandleDrag(corner: Corner, event: Konva.KonvaEventObject<DragEvent>) {
    const node = event.target;
    const offset = handleOffset(corner);
    const pointer = { x: node.x() - offset.x, y: node.y() - offset.y };
    const next = resizeFromCorner(viewport, crop, corner, pointer);
    const p = cornerPoint(viewport, next, corner);
    node.position({ x: p.x + offset.x, y: p.y + offset.y });
    setCrop(next);
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const step = nudgeStep(viewport, event.shiftKey);
    let next: CropRect;
    switch (event.key) {
      case 'ArrowLeft':
        next = nudgeCrop(crop, image, -step, 0);
        break;
      case 'ArrowRight':
        next = nudgeCrop(crop, image, step, 0);
        break;
      case 'ArrowUp':
        next = nudgeCrop(crop, image, 0, -step);
        break;
      case 'ArrowDown':
        next = nudgeCrop(crop, image, 0, step);
        break;
      case '+':
      case '=':
        next = growCrop(crop, image, 2 * step);
        break;
      case '-':
      case '_':
        next = growCrop(crop, image, -2 * step);
        break;
      default:
        return;
    }
    event.preventDefault();
    setCrop(next);
  }

  const outputSmall = crop.size < CROP_RECOMMENDED_SIZE;

  return (
    <section className="ap-panel-section ap-crop-editor" data-testid="crop-editor" aria-labelledby="crop-editor-title">
      <div className="ap-section-head">
        <h3 id="crop-editor-title">Square crop</h3>
        <p className="muted ap-small">Training uses a square. Drag the square, or a corner to resize it.</p>
      </div>

      <div className="ap-crop-box" ref={boxRef}>
        {preview.status === 'error' ? (
          <div className="ap-panel-inline-error" role="alert">
            <strong>The preview could not be loaded.</strong> {preview.error.message}
          </div>
        ) : !img || display.width === 0 ? (
          <div className="ap-crop-placeholder" style={{ height: Math.min(EDITOR_MAX_HEIGHT, 240) }} aria-busy="true">
            Loading the preview…
          </div>
        ) : (
          <div
            className="ap-crop-stage"
            tabIndex={0}
            role="group"
            aria-roledescription="crop editor"
            aria-label={`Square crop at x ${crop.x}, y ${crop.y}, size ${crop.size} pixels. Arrow keys move it (Shift moves faster); plus and minus resize it.`}
            aria-keyshortcuts="ArrowLeft ArrowRight ArrowUp ArrowDown Shift+ArrowLeft + -"
            data-testid="crop-stage"
            onKeyDown={onKeyDown}
            style={{ width: display.width, height: display.height }}
          >
            <Stage ref={stageRef} width={display.width} height={display.height}>
              <Layer>
                <KonvaImage image={img} width={display.width} height={display.height} listening={false} />
                {/* The outside of the square, dimmed: four bands around it. */}
                <Group listening={false} opacity={DIM_OPACITY}>
                  <Rect x={0} y={0} width={display.width} height={rect.y} fill="#000" />
                  <Rect x={0} y={rect.y + rect.height} width={display.width} height={display.height - rect.y - rect.height} fill="#000" />
                  <Rect x={0} y={rect.y} width={rect.x} height={rect.height} fill="#000" />
                  <Rect x={rect.x + rect.width} y={rect.y} width={display.width - rect.x - rect.width} height={rect.height} fill="#000" />
                </Group>
                {/* Rule-of-thirds guides help place a subject. */}
                <Group listening={false} opacity={0.5}>
                  {[1, 2].map((i) => (
                    <Line key={`v${i}`} points={[rect.x + (rect.width * i) / 3, rect.y, rect.x + (rect.width * i) / 3, rect.y + rect.height]} stroke="#fff" strokeWidth={1} />
                  ))}
                  {[1, 2].map((i) => (
                    <Line key={`h${i}`} points={[rect.x, rect.y + (rect.height * i) / 3, rect.x + rect.width, rect.y + (rect.height * i) / 3]} stroke="#fff" strokeWidth={1} />
                  ))}
                </Group>
                <Rect
                  name="crop-square"
                  x={rect.x}
                  y={rect.y}
                  width={rect.width}
                  height={rect.height}
                  stroke="#fff"
                  strokeWidth={2}
                  shadowColor="#000"
                  shadowBlur={3}
                  shadowOpacity={0.6}
                  fill="rgba(0,0,0,0.001)"
                  draggable
                  onDragMove={onBodyDrag}
                  onDragEnd={onBodyDrag}
                  onMouseEnter={() => setCursor('move')}
                  onMouseLeave={() => setCursor('default')}
                />
                {CORNERS.map((corner) => {
                  const p = cornerPoint(viewport, crop, corner);
                  const offset = handleOffset(corner);
                  return (
                    <Rect
                      key={corner}
                      name={`crop-handle-${corner}`}
                      x={p.x + offset.x}
                      y={p.y + offset.y}
                      width={HANDLE_PX}
                      height={HANDLE_PX}
                      fill="#fff"
                      stroke="#1f1c19"
                      strokeWidth={1}
                      cornerRadius={2}
                      draggable
                      onDragMove={(e) => onHandleDrag(corner, e)}
                      onDragEnd={(e) => onHandleDrag(corner, e)}
                      onMouseEnter={() => setCursor(CURSORS[corner])}
                      onMouseLeave={() => setCursor('default')}
                    />
                  );
                })}
              </Layer>
            </Stage>
          </div>
        )}
      </div>

      <dl className="ap-crop-readout" data-testid="crop-readout" data-x={crop.x} data-y={crop.y} data-size={crop.size}>
        <div>
          <dt>Crop (original pixels)</dt>
          <dd>
            x {crop.x}, y {crop.y}, size {crop.size}
          </dd>
        </div>
        <div>
          <dt>Output</dt>
          <dd className={outputSmall ? 'warn-text' : undefined}>
            {crop.size} × {crop.size} px{outputSmall ? ` — below the recommended ${CROP_RECOMMENDED_SIZE} px` : ''}
          </dd>
        </div>
        <div>
          <dt>Saved</dt>
          <dd data-testid="crop-saved" data-x={saved?.x} data-y={saved?.y} data-size={saved?.size}>
            {saved ? `x ${saved.x}, y ${saved.y}, size ${saved.size}` : 'No crop saved yet'}
          </dd>
        </div>
      </dl>

      <div className="ap-button-row">
        <div className="ap-button-group">
          <button
            type="button"
            className="button small"
            data-testid="crop-use-suggested"
            disabled={!suggested || sameCrop(crop, suggested)}
            title={suggested ? 'Move the square to the crop the analysis suggests' : 'This image has no suggested crop (it is already square)'}
            onClick={() => suggested && setCrop(initialCrop(image, null, suggested))}
          >
            Use suggested crop
          </button>
          <button
            type="button"
            className="button small quiet"
            data-testid="crop-reset"
            disabled={!changed}
            title="Back to the saved crop (or the suggested one when none is saved)"
            onClick={() => setCrop(initialCrop(image, saved, suggested))}
          >
            Reset
          </button>
        </div>
        <div className="ap-button-group ap-end">
          <button type="button" className="button small quiet" data-testid="crop-clear" disabled={!saved || busy} onClick={() => onSave(null)}>
            Clear crop
          </button>
          <button type="button" className="button small primary" data-testid="crop-save" disabled={!changed || busy} onClick={() => onSave(crop)}>
            {busy ? 'Saving…' : 'Save crop'}
          </button>
        </div>
      </div>
    </section>
  );
}
