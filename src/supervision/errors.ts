/** The monthly review's state conflicts (409): a request or decision the current state of a review, flag, violation or appeal does not allow. */
import { DomainError } from "../payment/errors";

export class ConflictProblem extends DomainError {
  constructor(detail: string, code: "decision-conflict" | "review-cap-reached" = "decision-conflict") {
    super(code, detail);
  }
}
