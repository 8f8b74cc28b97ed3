package dev.modelgate.serving.runtime;

/** Started in a child JVM by {@link CommandLineGuardTest}: starts the ONNX runtime and says how that went. */
public final class OnnxRuntimeProbe {
    private OnnxRuntimeProbe() {
    }

    public static void main(String[] args) {
        try {
            new OnnxModelRuntime(1);
            System.out.println("ONNX runtime started");
        } catch (IllegalStateException refused) {
            System.out.println("refused: " + refused.getMessage());
            System.exit(3);
        }
    }
}
