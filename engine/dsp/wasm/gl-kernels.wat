;; SIMD inner loops of fast Griffin-Lim, run on the same wasm memory as PFFFT so frames
;; never leave the heap between the window, the FFTs and the phase update.
;; Build: node engine/dsp/wasm/build-kernels.mjs  (writes gl-kernels.ts)
;; All pointers are byte offsets into the shared memory; counts are in floats.
(module
  (import "env" "memory" (memory 1))

  ;; dst[i] = src[i] * win[i] for i < n (n a multiple of 4). dst may equal src.
  (func (export "mulInto") (param $src i32) (param $win i32) (param $dst i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
        (v128.store (local.get $dst)
          (f32x4.mul (v128.load (local.get $src)) (v128.load (local.get $win))))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (local.set $win (i32.add (local.get $win) (i32.const 16)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (br $next))))

  ;; One frame of the fast Griffin-Lim update, on PFFFT's packed layout (bin k ≥ 1 at floats
  ;; 2k, 2k+1), two bins per vector:
  ;;   a = reb − coef·tprev;  tprev = reb;  spec = mag · a / (|a| + 1e-16)
  ;; reb: forward FFT output; tp: tprev, same layout, updated in place; mag: bins 0 … half;
  ;; spec: input of the inverse FFT. Floats 0 and 1 (bins 0 and half, both real) come out
  ;; wrong here and are redone by the caller.
  (func (export "glBins") (param $reb i32) (param $tp i32) (param $mag i32) (param $spec i32)
        (param $half i32) (param $coef f32)
    (local $end i32) (local $c v128) (local $eps v128)
    (local $r v128) (local $a v128) (local $sq v128) (local $m v128)
    (local.set $c (f32x4.splat (local.get $coef)))
    (local.set $eps (f32x4.splat (f32.const 1e-16)))
    (local.set $end (i32.add (local.get $reb) (i32.shl (local.get $half) (i32.const 3))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $reb) (local.get $end)))
        (local.set $r (v128.load (local.get $reb)))
        (local.set $a (f32x4.sub (local.get $r) (f32x4.mul (local.get $c) (v128.load (local.get $tp)))))
        (v128.store (local.get $tp) (local.get $r))
        (local.set $sq (f32x4.mul (local.get $a) (local.get $a)))
        ;; |a|² of each bin in both of its lanes: add the pair-swapped squares.
        (local.set $sq (f32x4.add (local.get $sq)
          (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $sq) (local.get $sq))))
        ;; (m_k, m_k, m_k+1, m_k+1)
        (local.set $m (v128.load64_zero (local.get $mag)))
        (local.set $m (i8x16.shuffle 0 1 2 3 0 1 2 3 4 5 6 7 4 5 6 7 (local.get $m) (local.get $m)))
        (v128.store (local.get $spec)
          (f32x4.mul (local.get $a)
            (f32x4.div (local.get $m) (f32x4.add (f32x4.sqrt (local.get $sq)) (local.get $eps)))))
        (local.set $reb (i32.add (local.get $reb) (i32.const 16)))
        (local.set $tp (i32.add (local.get $tp) (i32.const 16)))
        (local.set $spec (i32.add (local.get $spec) (i32.const 16)))
        (local.set $mag (i32.add (local.get $mag) (i32.const 8)))
        (br $next))))
)
