package dev.modelgate.audit;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -cp <jars> dev.modelgate.audit.AuditVerifyCommand <folder-or-file>...}: verifies the audit files
 * named (folders: their {@code audit-*.jsonl} files) as one chain and prints one line.
 * {@code ... AuditVerifyCommand --nodes <folder>...}: verifies several nodes' trails, one folder per node, each as its
 * own chain ({@link NodeTrailsVerifier}), and prints a line per node and a total. Exit status 0 when everything is
 * intact, 1 when a chain is broken (or, with {@code --nodes}, the nodes' trails are inconsistent), 2 for a usage
 * error or a file that cannot be read. Needs only Jackson and this package on the class path.
 */
public final class AuditVerifyCommand {
    static final int INTACT = 0;
    static final int BROKEN = 1;
    static final int UNUSABLE = 2;

    private AuditVerifyCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 1 && args[0].equals("--nodes")) {
            return nodes(List.of(args).subList(1, args.length), out, err);
        }
        if (args.length == 0 || args[0].startsWith("-")) {
            err.println("usage: java -cp <class path> " + AuditVerifyCommand.class.getName()
                    + " <audit folder or file>... | --nodes <one audit folder per node>...  (exit 0 intact, 1 broken"
                    + " or inconsistent, 2 usage or I/O error)");
            return UNUSABLE;
        }
        try {
            List<Path> files = new ArrayList<>();
            for (String arg : args) {
                Path path = Path.of(arg);
                if (Files.isDirectory(path)) {
                    List<Path> inFolder = AuditFiles.list(path);
                    if (inFolder.isEmpty()) {
                        err.println("no audit files (audit-<day>-<index>.jsonl) in " + path);
                        return UNUSABLE;
                    }
                    files.addAll(inFolder);
                } else if (Files.isRegularFile(path)) {
                    files.add(path);
                } else {
                    err.println("no such file or folder: " + path);
                    return UNUSABLE;
                }
            }
            ChainVerdict verdict = new AuditChainVerifier().verify(files);
            out.println(verdict.summary());
            return verdict instanceof ChainVerdict.Intact ? INTACT : BROKEN;
        } catch (IOException e) {
            err.println("cannot read the audit files: " + e);
            return UNUSABLE;
        }
    }

    private static int nodes(List<String> folders, PrintStream out, PrintStream err) {
        List<Path> paths = new ArrayList<>();
        for (String folder : folders) {
            Path path = Path.of(folder);
            if (!Files.isDirectory(path)) {
                err.println("--nodes takes one audit folder per node; not a folder: " + path);
                return UNUSABLE;
            }
            paths.add(path);
        }
        try {
            NodeTrailsVerifier.Report report = new NodeTrailsVerifier().verify(paths);
            out.println(report.summary());
            return report.intact() ? INTACT : BROKEN;
        } catch (IOException e) {
            err.println("cannot read the audit files: " + e);
            return UNUSABLE;
        }
    }
}
