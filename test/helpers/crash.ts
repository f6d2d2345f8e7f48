// The error a test injects to stand for a process dying mid-call, so a test can tell the crash
// it caused (and expects the code under test to survive) from any real failure.
export class InjectedCrash extends Error {
  override name = 'InjectedCrash';
}
