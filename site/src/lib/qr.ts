import QRCode from 'qrcode';
import { absoluteUrl } from './config.js';
import { paths } from './routes.js';

/**
 * The QR code of a service point's survey form, as SVG: printed and stuck at the counter, so it encodes the
 * permanent Vietnamese address on the public origin (SITE_ORIGIN) and uses error correction level M, which
 * survives a smudged or partly covered print.
 */
export async function qrSvg(unitId: string): Promise<string> {
  return QRCode.toString(absoluteUrl(paths.survey('vi', unitId)), {
    type: 'svg',
    errorCorrectionLevel: 'M',
    margin: 4,
    color: { dark: '#000000', light: '#ffffff' },
  });
}
