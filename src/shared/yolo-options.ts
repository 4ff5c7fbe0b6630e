// Detection settings shared by the page (settings, run plans) and the inference worker (src/ml/yolo.ts).

export interface YoloOptions {
  scoreThreshold: number;
  iouThreshold: number;
  maxDetections: number;
}

export const YOLO_DEFAULTS: YoloOptions = { scoreThreshold: 0.25, iouThreshold: 0.45, maxDetections: 300 };
