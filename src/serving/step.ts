/**
 * A decode and prefill step model, beside the bounds of throughput.ts: what one forward pass of
 * an MoE model costs on an EP × TP layout, layer by layer, with achievable (not peak) bandwidth
 * and FLOP/s, the collectives on the GPU's link, and a fixed cost per layer.
 *
 * Per GPU of the layout, one decode step of batch B with d draft tokens verifies T = B·(1 + d)
 * tokens. Layers are of three classes: MoE layers on the GPU, MoE layers whose experts sit in CPU
 * memory, and the other (dense) layers; the weights that are not routed experts, the KV cache and
 * their FLOPs are spread evenly over all L layers. A layer costs
 *
 *     max(FLOPs ÷ (peak FLOP/s × compute_fraction), bytes ÷ (peak bandwidth × bandwidth_fraction))
 *
 * plus, for MoE layers in CPU memory, their touched experts' bytes ÷ (CPU bandwidth ×
 * cpu_bandwidth_fraction). The step adds the collectives (TP all-reduce, EP dispatch and
 * combine) and `layer_overhead_s` per layer. Everything here is plain numbers: the sweep's hot
 * loop calls these functions point by point (src/metrics/serving.ts).
 */
import { touchedFraction } from './throughput.js';

/** The calibrated constants (data/serving-model.yaml) with the engine's picked. */
export interface StepConstants {
  /** share of peak device bandwidth a step reaches */
  bandwidth_fraction: number;
  /** share of peak dense tensor FLOP/s a step reaches */
  compute_fraction: number;
  /** share of the link's one-direction bandwidth a collective reaches */
  link_fraction: number;
  /** fixed cost per layer per forward pass (kernel launches, synchronisation), seconds */
  layer_overhead_s: number;
  /** tokens per prefill forward pass (chunked prefill); Infinity: the whole prompt at once */
  chunk_tokens: number;
  /** GPUs per node: past it, EP traffic crosses the scale-out network */
  node_gpus: number;
  /** one direction of a GPU's scale-out (RDMA) bandwidth, bytes/s */
  inter_node_bytes_per_s: number;
  inter_node_latency_s: number;
  /** share of peak CPU memory bandwidth reached when experts are read from CPU memory */
  cpu_bandwidth_fraction: number;
}

/** One GPU's figures and the deployment's layout. */
export interface StepHardware {
  gpus: number;
  tp: number;
  ep: number;
  /** attention data-parallel over every GPU (each GPU its own attention replica) */
  dp_attention: boolean;
  bandwidth_bytes_per_s: number;
  flops_per_s: number;
  link_bytes_per_s: number;
  link_latency_s: number;
  /** bytes per activation value in the collectives */
  activation_bytes: number;
  /** host memory bandwidth when experts sit in CPU memory (0: none) */
  cpu_bandwidth_bytes_per_s: number;
}

/** A design as the step model reads it: plain numbers. */
export interface StepDesign {
  layers: number;
  moe_layers: number;
  experts: number;
  top_k: number;
  hidden: number;
  /** parameters and bytes of one routed expert in one MoE layer */
  expert_layer_params: number;
  expert_layer_bytes: number;
  /** token mixers of all layers (attention, linear attention, indexers, compressors) */
  attention_params: number;
  attention_bytes: number;
  /** every other weight a step reads: dense FFNs, shared experts, routers, norms, output head (not the input embedding) */
  other_params: number;
  other_bytes: number;
  kv_bytes_per_sequence: number;
  /** heads the KV cache splits over under TP (1 for MLA) */
  kv_heads: number;
  /** attention-core FLOPs per token: full × context + windowed × min(context, window) + fixed */
  attn_flops_full: number;
  attn_flops_windowed: number;
  attn_window: number;
  attn_flops_fixed: number;
  /** MoE layers whose experts sit in CPU memory */
  cpu_moe_layers: number;
}

/** What binds a step; `layout` marks a design no valid layout of the deployment can run (no estimate). */
export type StepBinding = 'bandwidth' | 'compute' | 'interconnect' | 'overhead' | 'cpu' | 'layout';
/** Codes of StepBinding in the metric vector's decode_binding slot. */
export const BINDINGS: readonly StepBinding[] = ['bandwidth', 'compute', 'interconnect', 'overhead', 'cpu', 'layout'];

export interface StepTime {
  /** seconds of one forward pass */
  seconds: number;
  /** the parts, seconds: layers whose compute or memory time is the larger, collectives, fixed costs, CPU reads */
  compute_s: number;
  memory_s: number;
  link_s: number;
  overhead_s: number;
  cpu_s: number;
  binding: StepBinding;
}

/** Attention-core FLOPs of one token at `context` tokens of context, all layers. */
export function attentionFlopsAt(d: StepDesign, context: number): number {
  return d.attn_flops_full * context + d.attn_flops_windowed * Math.min(context, d.attn_window) + d.attn_flops_fixed;
}

/**
 * Attention-core FLOPs of a causal pass over positions [start, start + n): Σ attentionFlopsAt(p),
 * in closed form (Σ p = arithmetic series; Σ min(p, w) splits at the window).
 */
export function attentionFlopsOver(d: StepDesign, start: number, n: number): number {
  const sumP = (a: number, b: number) => (b > a ? ((a + b - 1) * (b - a)) / 2 : 0); // Σ_{p=a}^{b-1} p
  const w = d.attn_window;
  const end = start + n;
  const windowed = sumP(Math.min(start, w), Math.min(end, w)) + w * Math.max(0, end - Math.max(start, w));
  return d.attn_flops_full * sumP(start, end) + d.attn_flops_windowed * windowed + d.attn_flops_fixed * n;
}

/** Ring all-reduce of `bytes` over n GPUs: latency + 2(n − 1)/n × bytes ÷ achievable link bandwidth. */
export function allReduceSeconds(bytes: number, n: number, hw: StepHardware, c: StepConstants): number {
  if (n <= 1) return 0;
  return hw.link_latency_s + ((2 * (n - 1)) / n) * (bytes / (hw.link_bytes_per_s * c.link_fraction));
}

/**
 * One EP all-to-all (dispatch or combine) that sends `bytes` from each GPU: the share bound for
 * GPUs of other nodes goes over the scale-out link, the rest over the scale-up link.
 */
export function allToAllSeconds(bytes: number, hw: StepHardware, c: StepConstants): number {
  if (hw.ep <= 1) return 0;
  const G = hw.gpus;
  const remote = G > c.node_gpus ? (G - c.node_gpus) / (G - 1) : 0;
  const intra = ((1 - remote) * bytes) / (hw.link_bytes_per_s * c.link_fraction);
  const inter = remote > 0 ? (remote * bytes) / (c.inter_node_bytes_per_s * c.link_fraction) : 0;
  return (remote > 0 ? c.inter_node_latency_s : hw.link_latency_s) + intra + inter;
}

// touchedFraction of the last (experts, top_k, tokens) asked: a sweep's points come in grid order,
// where neighbours mostly share their experts and top_k, and it costs two transcendental functions.
let lastE = -1;
let lastK = -1;
let lastTokens = -1;
let lastTouched = 0;

function touchedAt(E: number, k: number, tokens: number): number {
  if (E !== lastE || k !== lastK || tokens !== lastTokens) {
    lastE = E;
    lastK = k;
    lastTokens = tokens;
    lastTouched = touchedFraction(E, k, tokens);
  }
  return lastTouched;
}

/**
 * The cost of one forward pass that carries `tokens` tokens per attention replica (`seqs`
 * sequences each, whose KV is read once), `attnFlops` attention-core FLOPs per replica, over a
 * deployment whose MoE layers see `total` tokens in all.
 */
function passTime(
  d: StepDesign,
  hw: StepHardware,
  c: StepConstants,
  seqsPerReplica: number,
  tokensPerReplica: number,
  attnFlopsPerReplica: number,
  total: number,
  kvBytesPerSequence: number,
  out: StepTime,
): StepTime {
  const { tp, ep } = hw;
  const attnSplit = hw.dp_attention ? 1 : tp;
  const groupTokens = Math.ceil(total / ep); // tokens of one EP group (its replicas' share)
  const F = hw.flops_per_s * c.compute_fraction;
  const BW = hw.bandwidth_bytes_per_s * c.bandwidth_fraction;
  const L = d.layers;

  // spread over every layer: attention (split TP ways unless data-parallel), other weights (TP), KV
  const kvFrac = hw.dp_attention ? 1 : Math.ceil(d.kv_heads / tp) / d.kv_heads;
  const shareBytes =
    (d.attention_bytes / attnSplit + d.other_bytes / tp + seqsPerReplica * kvBytesPerSequence * kvFrac) / L;
  const shareFlops =
    ((tokensPerReplica * 2 * d.attention_params + attnFlopsPerReplica) / attnSplit +
      (groupTokens * 2 * d.other_params) / tp) /
    L;

  // one MoE layer on the GPU: the ⌈E/EP⌉ experts it holds, each touched with probability 1 − (1 − k/E)^total
  const touched = d.experts > 0 ? touchedAt(d.experts, d.top_k, total) : 0;
  const expertBytes = (Math.ceil(d.experts / ep) * touched * d.expert_layer_bytes) / tp;
  const expertFlops = (total * d.top_k * 2 * d.expert_layer_params) / hw.gpus;

  // each class of layers: its count × the larger of its compute and memory time (the sweep's hot
  // loop runs this per design, so no closure or array is made here)
  let compute = 0;
  let memory = 0;
  const cpuLayers = Math.min(d.cpu_moe_layers, d.moe_layers);
  const gpuMoe = d.moe_layers - cpuLayers;
  if (gpuMoe > 0) {
    const tc = (shareFlops + expertFlops) / F;
    const tm = (shareBytes + expertBytes) / BW;
    if (tc > tm) compute += gpuMoe * tc;
    else memory += gpuMoe * tm;
  }
  const rest = L - d.moe_layers + cpuLayers;
  if (rest > 0) {
    const tc = shareFlops / F;
    const tm = shareBytes / BW;
    if (tc > tm) compute += rest * tc;
    else memory += rest * tm;
  }
  // experts in CPU memory: every expert of the layer lives in one host's memory
  const cpu_s =
    cpuLayers > 0 && hw.cpu_bandwidth_bytes_per_s > 0
      ? (cpuLayers * d.experts * touched * d.expert_layer_bytes) /
        (hw.cpu_bandwidth_bytes_per_s * c.cpu_bandwidth_fraction)
      : 0;

  // collectives: TP all-reduce after attention and after the FFN (one per layer when attention is
  // data-parallel: the all-gather and reduce-scatter around the MoE); EP dispatch and combine
  const reduceBytes = (hw.dp_attention ? groupTokens : tokensPerReplica) * d.hidden * hw.activation_bytes;
  const reduces = hw.dp_attention ? 1 : 2;
  let link_s = L * reduces * allReduceSeconds(reduceBytes, tp, hw, c);
  const a2aBytes = (total / hw.gpus) * d.top_k * d.hidden * hw.activation_bytes * ((ep - 1) / ep);
  link_s += (d.moe_layers - cpuLayers) * 2 * allToAllSeconds(a2aBytes, hw, c);

  const overhead_s = L * c.layer_overhead_s;
  const seconds = compute + memory + link_s + overhead_s + cpu_s;
  // the largest part binds; on a tie the earlier of bandwidth, compute, interconnect, overhead, cpu
  let binding: StepBinding = 'bandwidth';
  let most = -1;
  if (memory > most) most = memory;
  if (compute > most) {
    most = compute;
    binding = 'compute';
  }
  if (link_s > most) {
    most = link_s;
    binding = 'interconnect';
  }
  if (overhead_s > most) {
    most = overhead_s;
    binding = 'overhead';
  }
  if (cpu_s > most) binding = 'cpu';
  out.seconds = seconds;
  out.compute_s = compute;
  out.memory_s = memory;
  out.link_s = link_s;
  out.overhead_s = overhead_s;
  out.cpu_s = cpu_s;
  out.binding = binding;
  return out;
}

/** A StepTime to fill. */
export function stepTime(): StepTime {
  return { seconds: 0, compute_s: 0, memory_s: 0, link_s: 0, overhead_s: 0, cpu_s: 0, binding: 'bandwidth' };
}

/** A DecodeEstimate to fill. */
export function decodeTime(): DecodeEstimate {
  return { ...stepTime(), tokens_per_step: 1, tokens_per_s: 0, tpot_s: 0 };
}

/** A PrefillEstimate to fill. */
export function prefillTime(): PrefillEstimate {
  return { ttft_s: 0, tokens_per_s: 0, chunk_tokens: 0 };
}

/** A StepDesign to fill, for callers that reuse one from design to design. */
export function stepDesign(): StepDesign {
  return {
    layers: 1,
    moe_layers: 0,
    experts: 1,
    top_k: 1,
    hidden: 0,
    expert_layer_params: 0,
    expert_layer_bytes: 0,
    attention_params: 0,
    attention_bytes: 0,
    other_params: 0,
    other_bytes: 0,
    kv_bytes_per_sequence: 0,
    kv_heads: 1,
    attn_flops_full: 0,
    attn_flops_windowed: 0,
    attn_window: 0,
    attn_flops_fixed: 0,
    cpu_moe_layers: 0,
  };
}

// Scratch of the estimates: the sweep's hot loop calls them per design, and nothing here reenters.
const draftDesign = stepDesign();
const draftPass = stepTime();
const chunkPass = stepTime();

export interface DecodeEstimate extends StepTime {
  /** tokens emitted per sequence per step: 1 + expected accepted draft tokens */
  tokens_per_step: number;
  /** aggregate decode tokens/s of the deployment */
  tokens_per_s: number;
  /** time per output token of one sequence, seconds */
  tpot_s: number;
}

/**
 * Expected tokens a step emits per sequence with speculative decoding: 1 + Σ_i Π_{j ≤ i} a_j,
 * a_j the chance draft token j is accepted once the ones before it were (the draft stops at the
 * first rejection; the verifying pass always yields one token of its own).
 */
export function tokensPerStep(acceptance: readonly number[]): number {
  let expected = 1;
  let all = 1;
  for (const a of acceptance) {
    all *= a;
    expected += all;
  }
  return expected;
}

/**
 * One decode step at batch B and `context` tokens of context, with `draft` draft tokens per
 * sequence (MTP): the step verifies B·(1 + draft) tokens, so the distinct experts are those of
 * that many tokens; each draft token costs one more MoE layer's pass (an MTP module) at batch B.
 */
export function decodeEstimate(
  d: StepDesign,
  hw: StepHardware,
  c: StepConstants,
  batch: number,
  context: number,
  draft = 0,
  acceptedPerStep = 1,
  out: DecodeEstimate = decodeTime(),
): DecodeEstimate {
  const replicas = hw.dp_attention ? hw.gpus : hw.ep;
  const seqs = Math.ceil(batch / replicas);
  const perSeq = 1 + draft;
  const step = passTime(
    d,
    hw,
    c,
    seqs,
    seqs * perSeq,
    seqs * perSeq * attentionFlopsAt(d, context),
    batch * perSeq,
    d.kv_bytes_per_sequence,
    out,
  );
  if (draft > 0) {
    // the draft module: one layer like the model's average one (its share of attention, other
    // weights and KV, and one MoE layer's experts) per draft token, at batch B, one after another
    const L = Math.max(1, d.layers);
    const one = draftDesign;
    Object.assign(one, d);
    one.layers = 1;
    one.moe_layers = d.moe_layers > 0 ? 1 : 0;
    one.cpu_moe_layers = 0;
    one.attention_params = d.attention_params / L;
    one.attention_bytes = d.attention_bytes / L;
    one.other_params = d.other_params / L;
    one.other_bytes = d.other_bytes / L;
    passTime(
      one,
      hw,
      c,
      seqs,
      seqs,
      (seqs * attentionFlopsAt(d, context)) / L,
      batch,
      d.kv_bytes_per_sequence / L,
      draftPass,
    );
    step.seconds += draft * draftPass.seconds;
    step.compute_s += draft * draftPass.compute_s;
    step.memory_s += draft * draftPass.memory_s;
    step.link_s += draft * draftPass.link_s;
    step.overhead_s += draft * draftPass.overhead_s;
  }
  out.tokens_per_step = acceptedPerStep;
  out.tokens_per_s = (batch * acceptedPerStep) / step.seconds;
  out.tpot_s = step.seconds / acceptedPerStep;
  return out;
}

export interface PrefillEstimate {
  /** time to first token of one prompt of `input` tokens on an idle deployment, seconds */
  ttft_s: number;
  /** prefill tokens/s when every pass carries a full chunk of prompts of `input` tokens */
  tokens_per_s: number;
  chunk_tokens: number;
}

/**
 * Prefill of prompts of `input` tokens. TTFT: the prompt in chunks of `chunk_tokens` (the last
 * shorter), each a forward pass over its tokens that reads the KV of the chunks before it, its
 * attention causal over the whole prefix (the quadratic term). Throughput: passes of one full
 * chunk of such prompts (chunk ÷ input prompts per pass, each with its average attention cost).
 * The work of a pass spreads over every GPU (sequence or tensor parallel prefill).
 */
export function prefillEstimate(
  d: StepDesign,
  hw: StepHardware,
  c: StepConstants,
  input: number,
  out: PrefillEstimate = prefillTime(),
): PrefillEstimate {
  const chunk = Math.min(c.chunk_tokens, input);
  // a prefill spreads over all GPUs: treat the deployment as one replica of G GPUs' worth of work
  const all: StepHardware = hw;
  const replicas = hw.dp_attention ? hw.gpus : hw.ep;
  let ttft = 0;
  for (let start = 0; start < input; start += chunk) {
    const n = Math.min(chunk, input - start);
    const attn = attentionFlopsOver(d, start, n);
    // the prefix already cached is read once per layer: scale the per-sequence KV to the prefix
    const kvPerSeq = d.kv_bytes_per_sequence * (start / Math.max(1, input));
    ttft += passTime(d, all, c, 1 / replicas, n / replicas, attn / replicas, n, kvPerSeq, chunkPass).seconds;
  }
  // throughput: one full pass of `full` tokens from prompts of `input` tokens
  const full = Number.isFinite(c.chunk_tokens) ? c.chunk_tokens : input;
  const prompts = full / input;
  const attnFull = prompts * attentionFlopsOver(d, 0, input);
  const pass = passTime(d, all, c, prompts / replicas, full / replicas, attnFull / replicas, full, 0, chunkPass);
  out.ttft_s = ttft;
  out.tokens_per_s = full / pass.seconds;
  out.chunk_tokens = chunk;
  return out;
}
