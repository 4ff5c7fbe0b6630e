// Small square face thumbnails (stored with each face, shown in People and the detail view): made the same way
// from photos in the faces worker and from live video in the webcam view.
export const CROP_SIZE = 96;

/** `box` is in `source`'s pixels; the crop is enlarged by 25% and made square. */
export async function faceCrop(source: CanvasImageSource, box: [number, number, number, number]): Promise<Blob> {
  const [x, y, w, h] = box;
  const side = Math.max(w, h) * 1.25;
  const cx = x + w / 2;
  const cy = y + h / 2;
  const canvas = new OffscreenCanvas(CROP_SIZE, CROP_SIZE);
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#222';
  ctx.fillRect(0, 0, CROP_SIZE, CROP_SIZE);
  ctx.drawImage(source, cx - side / 2, cy - side / 2, side, side, 0, 0, CROP_SIZE, CROP_SIZE);
  return canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
}
