package dev.modelgate.serving;

import dev.modelgate.serving.repository.ServedModel;
import dev.modelgate.serving.runtime.Admission;
import dev.modelgate.serving.runtime.InputRejectedException;
import dev.modelgate.serving.runtime.LoadedModel;
import dev.modelgate.serving.runtime.ModelExecutionException;
import dev.modelgate.serving.tensor.ModelSignature;
import dev.modelgate.serving.tensor.Tensor;
import dev.modelgate.serving.tensor.TensorSpec;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * One request's hold on one model version: the version cannot be closed by a reload until the lease is
 * closed, so a request finishes on the version it started on. Not thread-safe; close exactly once.
 */
public final class ModelLease implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ModelLease.class.getName());
    private final ServedModel model;
    private boolean closed;

    ModelLease(ServedModel model) {
        this.model = model;
    }

    public String endpoint() {
        return model.endpoint();
    }

    public String version() {
        return model.version();
    }

    public ModelSignature signature() {
        return model.model().signature();
    }

    /** True when both leases hold the very same loaded model (same version, same load). */
    public boolean sameModelAs(ModelLease other) {
        return model == other.model;
    }

    /**
     * Checks a call against the signature: every input present with the right type and shape, nothing unknown.
     *
     * @throws ServingError a 400 that says what is wrong
     */
    public void check(Map<String, Tensor> inputs, Set<String> outputs) {
        ModelSignature signature = signature();
        for (TensorSpec spec : signature.inputs()) {
            Tensor tensor = inputs.get(spec.name());
            if (tensor == null) {
                throw ServingError.badRequest("missing input '" + spec.name() + "'");
            }
            if (tensor.type() != spec.type()) {
                throw ServingError.badRequest("input '" + spec.name() + "' has datatype " + tensor.type()
                        + ", the model expects " + spec.type());
            }
            if (!spec.accepts(tensor.shape())) {
                throw ServingError.badRequest("input '" + spec.name() + "' has shape " + Arrays.toString(tensor.shape())
                        + ", the model expects " + Arrays.toString(spec.shape()) + " (-1 = any size)");
            }
        }
        for (String name : inputs.keySet()) {
            if (signature.input(name).isEmpty()) {
                throw ServingError.badRequest("the model has no input '" + name + "'");
            }
        }
        for (String name : outputs) {
            if (signature.output(name).isEmpty()) {
                throw ServingError.badRequest("the model has no output '" + name + "'");
            }
        }
    }

    /**
     * Checks a request's call against the signature ({@link #check}) and against the model itself
     * ({@link LoadedModel#admit}), on the request's own thread.
     *
     * @return the inputs to run the call on, as the model prepared them, and the tokens they count
     * @throws ServingError a 400 that says what is wrong
     */
    public Admission admit(Map<String, Tensor> inputs, Set<String> outputs) {
        check(inputs, outputs);
        try {
            return model.model().admit(inputs);
        } catch (InputRejectedException e) {
            throw ServingError.badRequest(e.getMessage());
        }
    }

    /**
     * Checks the inputs against the signature ({@link #check}), then runs the model.
     *
     * @param outputs the outputs wanted (all when empty); unknown names are a 400
     */
    public Map<String, Tensor> run(Map<String, Tensor> inputs, Set<String> outputs) {
        check(inputs, outputs);
        try {
            return model.model().run(inputs, outputs);
        } catch (ModelExecutionException e) {
            LOG.log(System.Logger.Level.WARNING, "endpoint {0} version {1}: {2}", endpoint(), version(), e.getMessage());
            throw new ServingError(ErrorKind.MODEL_FAILURE, "the model failed to run on this input");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            model.release();
        }
    }
}
