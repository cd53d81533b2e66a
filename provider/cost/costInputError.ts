/** Input the cost commands cannot use (malformed JSON, a negative threshold): exit code 2, nothing else done. */
export class CostInputError extends Error {
  readonly exitCode = 2;
}
