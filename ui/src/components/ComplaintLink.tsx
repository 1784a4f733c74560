import type { CSSProperties } from "react";
import { useShell } from "../lib/context";

const linkStyle: CSSProperties = {
  border: "none",
  background: "none",
  padding: 0,
  color: "var(--accent)",
  fontWeight: 600,
  textDecoration: "underline",
  cursor: "pointer",
};

/** A complaint's number that opens the complaint when clicked. */
export function ComplaintLink({ id, number, title }: { id: string; number: string; title: string }) {
  const { go } = useShell();
  return (
    <button
      type="button"
      style={linkStyle}
      title={title}
      data-testid="complaint-link"
      onClick={() => go({ screen: "complaint", id })}
    >
      {number}
    </button>
  );
}
