package dev.modelgate.health;

import dev.modelgate.audit.AuditTrail;
import dev.modelgate.serving.repository.ModelRepository;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Whether this node should be sent requests: the answer a load balancer's health check wants. Not ready while the
 * model repository's first load has not ended, or while the audit trail refuses invocations (it cannot write, e.g. a
 * full disk, under {@code audit.failure.policy=fail-closed}), since every invocation would then be a 503. Under
 * {@code count-lost} a failing trail does not make the node unready: invocations are served, as that policy says.
 * Asks its sources on every call, so it is as fresh as they are. Thread-safe if the sources are.
 */
public final class Readiness {
    /** The check that names the model repository. */
    public static final String MODELS = "models-loading";
    /** The check that names the audit trail. */
    public static final String AUDIT_TRAIL = "audit-trail";

    private final BooleanSupplier modelsLoaded;
    private final BooleanSupplier auditAccepting;

    /**
     * @param modelsLoaded   true once the model repository's first load has ended
     * @param auditAccepting true while the audit trail accepts invocations' records
     */
    public Readiness(BooleanSupplier modelsLoaded, BooleanSupplier auditAccepting) {
        this.modelsLoaded = modelsLoaded;
        this.auditAccepting = auditAccepting;
    }

    /** The node's readiness: its model repository and its audit trail. */
    public static Readiness of(ModelRepository models, AuditTrail trail) {
        return new Readiness(models::loaded, trail::accepting);
    }

    /** Why a node is not ready: which check, and a sentence for the operator (no paths, no secrets: it is public). */
    public record Reason(String check, String message) {
    }

    /** @param reasons empty exactly when the node is ready */
    public record Report(List<Reason> reasons) {
        public Report {
            reasons = List.copyOf(reasons);
        }

        public boolean ready() {
            return reasons.isEmpty();
        }
    }

    public Report check() {
        List<Reason> reasons = new ArrayList<>(2);
        if (!modelsLoaded.getAsBoolean()) {
            reasons.add(new Reason(MODELS, "the model repository is still loading"));
        }
        if (!auditAccepting.getAsBoolean()) {
            reasons.add(new Reason(AUDIT_TRAIL, "the audit trail cannot write its records (full disk or I/O error; the"
                    + " server log says which), so invocations are refused until it can"));
        }
        return new Report(reasons);
    }
}
