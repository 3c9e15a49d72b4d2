// "Has this element come near the viewport yet?" with one shared IntersectionObserver for all tiles.
import { useEffect, useState, type RefObject } from 'react';

/** Start loading a little before a tile scrolls into view, so thumbnails are there when it arrives. */
const PRELOAD_MARGIN = '400px 0px';

type Callback = () => void;
let observer: IntersectionObserver | null = null;
const callbacks = new Map<Element, Callback>();

function sharedObserver(): IntersectionObserver | null {
  if (typeof IntersectionObserver === 'undefined') return null;
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        const callback = callbacks.get(entry.target);
        if (callback) callback();
      }
    },
    { rootMargin: PRELOAD_MARGIN },
  );
  return observer;
}

/** Becomes true the first time the element is near the viewport, and stays true. */
export function useNearViewport(ref: RefObject<Element | null>): boolean {
  const [near, setNear] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (near || !element) return;
    const io = sharedObserver();
    if (!io) {
      setNear(true);
      return;
    }
    callbacks.set(element, () => {
      setNear(true);
      callbacks.delete(element);
      io.unobserve(element);
    });
    io.observe(element);
    return () => {
      callbacks.delete(element);
      io.unobserve(element);
    };
  }, [ref, near]);
  return near;
}
