/**
 * Where the page answering a refused survey form post sends the browser (shared/surveys/form.ts,
 * `formErrorAnswer`): the address of its zero-second refresh, unescaped as a browser reads it.
 */
export function formReturnAddress(html: string | undefined): string | undefined {
  const content = /<meta http-equiv="refresh" content="0; url=([^"]+)">/.exec(html ?? '')?.[1];
  return content
    ?.replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
