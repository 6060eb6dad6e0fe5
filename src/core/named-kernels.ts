/**
 * Classic hand-made 3×3 filters, as cross-correlation kernels (row-major, the
 * first row is the top). The `_x` kernels respond to change along x (left to
 * right: vertical edges); the `_y` kernels to change along y (top to bottom:
 * horizontal edges).
 */
export const NAMED_KERNELS = {
  identity: [0, 0, 0, 0, 1, 0, 0, 0, 0],
  prewitt_x: [-1, 0, 1, -1, 0, 1, -1, 0, 1],
  prewitt_y: [-1, -1, -1, 0, 0, 0, 1, 1, 1],
  sobel_x: [-1, 0, 1, -2, 0, 2, -1, 0, 1],
  sobel_y: [-1, -2, -1, 0, 0, 0, 1, 2, 1],
  laplacian: [0, 1, 0, 1, -4, 1, 0, 1, 0],
  gaussian: [1 / 16, 2 / 16, 1 / 16, 2 / 16, 4 / 16, 2 / 16, 1 / 16, 2 / 16, 1 / 16],
  box: [1 / 9, 1 / 9, 1 / 9, 1 / 9, 1 / 9, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
  sharpen: [0, -1, 0, -1, 5, -1, 0, -1, 0],
} as const satisfies Record<string, readonly number[]>;

export type NamedKernel = keyof typeof NAMED_KERNELS;

/** Every named kernel is 3×3. */
export const NAMED_KERNEL_SIZE = 3;

export function isNamedKernel(name: string): name is NamedKernel {
  return Object.prototype.hasOwnProperty.call(NAMED_KERNELS, name);
}
