/** Elasticsearch's `<em>…</em>` highlight markers as text parts; any other markup stays text. */
export function highlightParts(snippet: string): { text: string; hit: boolean }[] {
  return snippet
    .split(/(<em>[^<]*<\/em>)/)
    .filter(Boolean)
    .map((part) => {
      const hit = part.startsWith('<em>') && part.endsWith('</em>');
      return { text: hit ? part.slice(4, -5) : part, hit };
    });
}
