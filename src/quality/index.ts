/**
 * Pretraining-loss predictions for MoE designs from published scaling laws. Constants and
 * their provenance live in data/scaling-laws.yaml; see README.md in this folder.
 */
export * from './laws.js';
export * from './joint.js';
export * from './chinchilla.js';
export * from './domain.js';
export * from './uncertainty.js';
export * from './granularity.js';
export * from './design.js';
export * from './notes.js';
