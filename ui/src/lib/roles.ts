// The roles, lowest authority first (the rulebook's ladder).
import type { Role } from "../bindings/Role";

export const ROLES: readonly Role[] = ["agent", "supervisor", "manager", "admin"];
