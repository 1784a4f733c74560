// A vertically virtualised list with fixed-height rows: only the rows inside
// the viewport (plus a few either side) are in the DOM, so thousands of rows
// scroll as smoothly as a dozen.
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type CSSProperties,
  type HTMLAttributes,
  type ReactNode,
  type Ref,
  type UIEvent,
} from "react";

/** The rows [start, end) to render for a viewport. */
export function visibleRange(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  count: number,
  overscan: number,
): { start: number; end: number } {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const shown = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, Math.min(count - 1, first) - overscan);
  const end = Math.min(count, first + shown + overscan);
  return { start, end };
}

/** The scroll position that brings row `index` fully into view (or keeps it). */
export function scrollFor(
  index: number,
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
): number {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return scrollTop;
}

type DivProps = Omit<HTMLAttributes<HTMLDivElement>, "children" | "onScroll">;

export interface VirtualListProps extends DivProps {
  count: number;
  rowHeight: number;
  /** Rows rendered beyond each edge of the viewport. */
  overscan?: number;
  /** Used until the viewport can be measured (and where it can't, as in tests). */
  fallbackHeight?: number;
  /** Keep this row in view whenever it changes (the keyboard selection). */
  scrollToIndex?: number;
  /** Renders row `index`; `style` places it and must be applied to its root. */
  renderRow: (index: number, style: CSSProperties) => ReactNode;
  /** The scrolling element, for focusing it from outside. */
  ref?: Ref<HTMLDivElement>;
}

export function VirtualList({
  count,
  rowHeight,
  overscan = 8,
  fallbackHeight = 600,
  scrollToIndex,
  renderRow,
  style,
  ref: outerRef,
  ...rest
}: VirtualListProps) {
  const ref = useRef<HTMLDivElement>(null);
  const setRef = useCallback(
    (el: HTMLDivElement | null) => {
      ref.current = el;
      if (typeof outerRef === "function") outerRef(el);
      else if (outerRef) outerRef.current = el;
    },
    [outerRef],
  );
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(fallbackHeight);

  // Measure the viewport, and again whenever it is resized.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      if (el.clientHeight > 0) setHeight(el.clientHeight);
    };
    measure();
    if (typeof ResizeObserver === "undefined") return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Fewer rows than before (a filter applied): don't stay scrolled past the end.
  useEffect(() => {
    const max = Math.max(0, count * rowHeight - height);
    if (scrollTop > max) {
      setScrollTop(max);
      if (ref.current) ref.current.scrollTop = max;
    }
  }, [count, rowHeight, height, scrollTop]);

  const scrollTopRef = useRef(scrollTop);
  scrollTopRef.current = scrollTop;
  useEffect(() => {
    if (scrollToIndex === undefined || scrollToIndex < 0 || scrollToIndex >= count) return;
    const next = scrollFor(scrollToIndex, scrollTopRef.current, height, rowHeight);
    if (next !== scrollTopRef.current) {
      setScrollTop(next);
      if (ref.current) ref.current.scrollTop = next;
    }
    // Only when the target changes, not on every scroll.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scrollToIndex]);

  const onScroll = useCallback((e: UIEvent<HTMLDivElement>) => {
    setScrollTop(e.currentTarget.scrollTop);
  }, []);

  const { start, end } = visibleRange(scrollTop, height, rowHeight, count, overscan);
  const rows: ReactNode[] = [];
  for (let i = start; i < end; i++) {
    rows.push(
      renderRow(i, {
        position: "absolute",
        top: i * rowHeight,
        left: 0,
        right: 0,
        height: rowHeight,
      }),
    );
  }

  return (
    <div
      {...rest}
      ref={setRef}
      onScroll={onScroll}
      style={{ overflowY: "auto", position: "relative", ...style }}
    >
      <div style={{ position: "relative", height: count * rowHeight, width: "100%" }}>{rows}</div>
    </div>
  );
}
