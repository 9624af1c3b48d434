export * from "./auth";
export * from "./budgets";
export * from "./claims";
export * from "./columns";
export * from "./providers";
export * from "./regions";
export * from "./settlement";
export * from "./supervision";
