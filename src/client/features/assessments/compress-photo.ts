import { compressionAttempts, fitWithin, PHOTO_MAX_BYTES } from '../../../domain/evidence/photo-size';

export interface CompressedPhoto {
  readonly blob: Blob;
  readonly width: number;
  readonly height: number;
}

async function encode(bitmap: ImageBitmap, width: number, height: number, quality: number): Promise<Blob> {
  if (typeof OffscreenCanvas !== 'undefined') {
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d context');
    context.drawImage(bitmap, 0, 0, width, height);
    return canvas.convertToBlob({ type: 'image/jpeg', quality });
  }
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2d context');
  context.drawImage(bitmap, 0, 0, width, height);
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('encode failed'))), 'image/jpeg', quality),
  );
}

/**
 * Shrinks a camera or gallery photo on the device (long edge ≤ 1280 px, JPEG under 300 KB)
 * before it is stored, so evidence never fills a cheap phone or a weak uplink.
 */
export async function compressPhoto(file: Blob): Promise<CompressedPhoto> {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  try {
    let last: CompressedPhoto | undefined;
    for (const attempt of compressionAttempts()) {
      const size = fitWithin(bitmap.width, bitmap.height, attempt.edge);
      const blob = await encode(bitmap, size.width, size.height, attempt.quality);
      last = { blob, ...size };
      if (blob.size <= PHOTO_MAX_BYTES) return last;
    }
    if (!last) throw new Error('no compression attempt');
    return last;
  } finally {
    bitmap.close();
  }
}
