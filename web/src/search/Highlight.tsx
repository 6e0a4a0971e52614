import { highlightParts } from './highlight';

/** A highlighted snippet: the matched words in <mark>, everything else as plain text (the
 * snippet is never inserted as HTML). */
export function Highlight({ html }: { html: string }) {
  return (
    <div className="snippet">
      {highlightParts(html).map((part, i) => (part.hit ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}
    </div>
  );
}
