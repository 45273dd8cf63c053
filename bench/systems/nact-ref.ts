/**
 * A typed stand-in for nact's actor reference. nact declares `Ref<T>` as an
 * empty abstract class, which lint reports as the empty type `{}` wherever
 * it is named; every nact reference is assignable to this interface and
 * back, and the phantom member keeps the message type in view.
 */
export interface NactRef<T> {
  readonly __message?: (message: T) => void;
}
