// npm run demo-data: a synthetic product catalogue (as the seed's Faker script made) whose images the app
// serves itself (public/demo/), so URL import can be tried and tested offline. Deterministic: same output
// every run. The images are simple drawings made here (bottles, glasses, mugs, boxes), not photos.
import jpeg from 'jpeg-js';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { toCsv } from '../src/shared/csv.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(ROOT, 'public/demo');
let seed = 20261121;
const rnd = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)];

const ADJ = ['Classic', 'Organic', 'Premium', 'Rustic', 'Sparkling', 'Vintage', 'Smoked', 'Golden', 'Nordic', 'Alpine'];
const KIND = [
  { noun: 'Red Wine', shape: 'bottle', colour: [110, 20, 40] },
  { noun: 'Craft Beer', shape: 'bottle', colour: [150, 100, 20] },
  { noun: 'Olive Oil', shape: 'bottle', colour: [120, 140, 30] },
  { noun: 'Coffee Mug', shape: 'mug', colour: [40, 90, 160] },
  { noun: 'Wine Glass', shape: 'glass', colour: [200, 200, 220] },
  { noun: 'Gift Box', shape: 'box', colour: [200, 60, 60] },
  { noun: 'Tea Tin', shape: 'box', colour: [40, 130, 90] },
] as const;

function draw(shape: string, colour: readonly number[], bg: number[], size = 256): Buffer {
  const data = Buffer.alloc(size * size * 4);
  const c = size / 2;
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const dx = Math.abs(x - c);
      const inside =
        shape === 'bottle'
          ? (y > 90 && y < 230 && dx < 38) || (y > 40 && y <= 90 && dx < 12 + (y - 40) * 0.52) || (y > 20 && y <= 40 && dx < 10)
          : shape === 'glass'
            ? (y > 40 && y < 120 && dx < 45 - (y - 40) * 0.3 && dx > 0) || (y >= 120 && y < 200 && dx < 5) || (y >= 200 && y < 212 && dx < 40)
            : shape === 'mug'
              ? (y > 70 && y < 210 && dx < 55) || (y > 100 && y < 180 && x > c + 55 && x < c + 85 && !(x > c + 62 && x < c + 78 && y > 112 && y < 168))
              : y > 60 && y < 210 && dx < 80;
      const shade = 1 - (dx / size) * 0.8;
      const col = inside ? colour.map((v) => v * shade) : bg;
      data.set([col[0], col[1], col[2], 255], (y * size + x) * 4);
    }
  return jpeg.encode({ data, width: size, height: size }, 85).data;
}

mkdirSync(path.join(OUT, 'products'), { recursive: true });
const rows: string[][] = [];
for (let i = 1; i <= 24; i++) {
  const k = pick(KIND);
  const id = `P-${String(i).padStart(3, '0')}`;
  const file = `products/${id.toLowerCase()}.jpg`;
  writeFileSync(path.join(OUT, file), draw(k.shape, k.colour, [230 + Math.floor(rnd() * 25), 225 + Math.floor(rnd() * 30), 215 + Math.floor(rnd() * 40)]));
  rows.push([id, `${pick(ADJ)} ${k.noun} ${Math.floor(rnd() * 900 + 100)}`, `/demo/${file}`]);
}
writeFileSync(path.join(OUT, 'products.csv'), toCsv(['product_id', 'product_name', 'placeholder_image_url'], rows));
console.log(`demo catalogue: ${rows.length} products in ${path.relative(ROOT, OUT)}/`);
