/**
 * The two heavy pieces of the objective with gradients written as forward ops.
 *
 * tfjs's own gradients are correct but, on the wasm backend, the conv input gradient
 * (Conv2DBackpropInput) and transposed matmuls are naive kernels: ~1.1 s and ~50 ms at the
 * Quick preview shape against ~85 ms and ~4 ms for the forward kernels. So the conv's input
 * gradient is computed as a forward conv with flipped, transposed weights, and the Gram's
 * gradient with explicit transposes. Everything else (activation, norms, means) stays
 * automatic. `kernels: 'autodiff'` in the objective swaps these for plain tfjs ops, and the
 * tests hold the two against each other and finite differences.
 */
import type { GradSaveFunc, Tensor, Tensor2D, Tensor3D } from '@tensorflow/tfjs-core';
import type { Tf } from './load-tf';

/**
 * The conv weights for the input gradient: Wflip[j, n, f] = W[K−1−j, f, n], K × N × F.
 * @param w K × F × N row-major (tf.conv1d filter layout)
 */
export function flippedWeights(w: Float32Array, bins: number, filters: number, kernel: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let j = 0; j < kernel; j++) {
    const k = kernel - 1 - j;
    for (let f = 0; f < bins; f++) {
      const src = (k * bins + f) * filters;
      for (let n = 0; n < filters; n++) out[(j * filters + n) * bins + f] = w[src + n];
    }
  }
  return out;
}

/**
 * Z = conv1d(X, W), valid padding, stride 1, as a differentiable function of X only.
 * dX = conv1d(pad(dZ, K−1 each side), Wflip): the transposed convolution written forward.
 * @param w K × F × N, @param wFlip K × N × F (from `flippedWeights`)
 * @returns (x: 1 × T × F) → 1 × T' × N
 */
export function convValid(tf: Tf, w: Tensor3D, wFlip: Tensor3D): (x: Tensor3D) => Tensor3D {
  const k = w.shape[0];
  return tf.customGrad((...inputs: Array<Tensor | GradSaveFunc>) => ({
    value: tf.conv1d(inputs[0] as Tensor3D, w, 1, 'valid'),
    gradFunc: (dy: Tensor3D) => {
      const padded = tf.pad(dy, [
        [0, 0],
        [k - 1, k - 1],
        [0, 0],
      ]);
      return [tf.conv1d(padded, wFlip, 1, 'valid')];
    },
  })) as (x: Tensor3D) => Tensor3D;
}

/**
 * G = AᵀA / rows for A (rows × N); dA = A (dG + dGᵀ) / rows, all plain matmuls.
 * @returns N × N
 */
export function gram(tf: Tf): (a: Tensor2D) => Tensor2D {
  return tf.customGrad((...inputs: Array<Tensor | GradSaveFunc>) => {
    const a = inputs[0] as Tensor2D;
    const save = inputs[1] as GradSaveFunc;
    const rows = a.shape[0];
    save([a]);
    return {
      value: tf.div<Tensor2D>(tf.matMul(tf.transpose(a), a), rows),
      gradFunc: (dy: Tensor2D, saved: Tensor[]) => {
        const [s] = saved as Tensor2D[];
        const sym = tf.add(dy, tf.transpose(dy));
        return [tf.div(tf.matMul(s, sym), rows)];
      },
    };
  }) as (a: Tensor2D) => Tensor2D;
}
