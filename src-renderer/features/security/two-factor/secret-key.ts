/** "JBSWY3DPEHPK3PXP" → "JBSW Y3DP EHPK 3PXP": easier to read and type into an app by hand. */
export function groupSecret(secret: string, size = 4): string {
  const compact = secret.replace(/\s+/g, '').toUpperCase();
  return compact.match(new RegExp(`.{1,${size}}`, 'g'))?.join(' ') ?? '';
}

/**
 * The server's QR code as an <img> source. An SVG shown through <img> can run no script and reach
 * no network, and the CSP allows `img-src data:`, so the markup never enters the page's DOM.
 */
export function qrImageSource(svg: string): string | null {
  const start = svg.trimStart();
  if (!start.startsWith('<svg') && !start.startsWith('<?xml')) return null;
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
