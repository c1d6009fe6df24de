export { default } from '@raft/tooling/eslint';
