// The text preview: the creator's words in a readable column; Markdown headings lightly styled, nothing
// ever interpreted as HTML (React renders every block as text).
import { useEffect, useMemo, useState } from 'react';
import type { ErrorInfo, TextContent } from '../../../preload/contract';
import { api } from '../../platform';
import { clipText, textBlocks } from './text-blocks';

type TextState = { status: 'loading' } | { status: 'ready'; content: TextContent } | { status: 'error'; error: ErrorInfo };

export function TextPreview({ assetId }: { assetId: string }) {
  const [state, setState] = useState<TextState>({ status: 'loading' });

  useEffect(() => {
    let live = true;
    setState({ status: 'loading' });
    void api.assets.text({ assetId }).then((result) => {
      if (live) setState(result.ok ? { status: 'ready', content: result.value } : { status: 'error', error: result.error });
    });
    return () => {
      live = false;
    };
  }, [assetId]);

  const view = useMemo(() => {
    if (state.status !== 'ready') return null;
    const clipped = clipText(state.content.text);
    return { blocks: textBlocks(clipped.text, state.content.format), omitted: clipped.omitted };
  }, [state]);

  return (
    <section className="ap-panel-section" aria-labelledby="text-preview-title">
      <div className="ap-section-head">
        <h3 id="text-preview-title">Text</h3>
      </div>
      {state.status === 'loading' ? <p className="muted" aria-busy="true">Loading the text…</p> : null}
      {state.status === 'error' ? (
        <div className="ap-panel-inline-error" role="alert">
          <strong>The text could not be loaded.</strong> {state.error.message}
        </div>
      ) : null}
      {view ? (
        <article className="ap-text-preview" data-testid="text-preview" tabIndex={0} aria-label="Text of this asset">
          {view.blocks.length === 0 ? <p className="muted">This file is empty.</p> : null}
          {view.blocks.map((block, i) =>
            block.kind === 'heading' ? (
              <p key={i} className={`ap-text-heading ap-level-${block.level}`} role="heading" aria-level={Math.min(6, block.level + 3)}>
                {block.text}
              </p>
            ) : (
              <p key={i} className="ap-text-run">
                {block.text}
              </p>
            ),
          )}
          {view.omitted > 0 ? (
            <p className="muted ap-small">The preview stops here; {view.omitted.toLocaleString('en-US')} more characters are in the file.</p>
          ) : null}
        </article>
      ) : null}
    </section>
  );
}
