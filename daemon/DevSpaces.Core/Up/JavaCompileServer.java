import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * DevSpaces' warm Java compiler: one JVM that runs javac for each request, so only its start pays for loading and
 * warming the compiler. The daemon starts it in the project's folder, where relative paths resolve.
 *
 * Protocol, UTF-8 lines on stdin and stdout: a request is one line, javac's arguments separated by NUL characters;
 * the answer is javac's output line by line, then a line of a NUL character followed by javac's exit code. Before the
 * first request the server compiles a small class of its own, then prints a NUL character followed by "ready".
 */
public final class JavaCompileServer {
    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            out.println("\0unavailable");
            out.flush();
            return;
        }

        warmUp(compiler);
        out.println("\0ready");
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            List<String> arguments = new ArrayList<>();
            for (String argument : line.split("\0", -1)) {
                if (!argument.isEmpty()) {
                    arguments.add(argument);
                }
            }

            ByteArrayOutputStream text = new ByteArrayOutputStream();
            int exit = run(compiler, arguments, text);
            for (String output : text.toString(StandardCharsets.UTF_8).split("\\R")) {
                if (!output.isBlank()) {
                    out.println(output);
                }
            }

            out.println("\0" + exit);
            out.flush();
        }
    }

    private static int run(JavaCompiler compiler, List<String> arguments, ByteArrayOutputStream text) {
        try {
            return compiler.run(null, text, text, arguments.toArray(new String[0]));
        } catch (RuntimeException e) {
            text.writeBytes(("error: javac failed: " + e + "\n").getBytes(StandardCharsets.UTF_8));
            return 4;
        }
    }

    /** Compiles a small class into a scratch folder a few times, so javac's classes are loaded and compiled by the JIT. */
    private static void warmUp(JavaCompiler compiler) throws Exception {
        Path folder = Files.createTempDirectory("devspaces-javac-warm-");
        try {
            Path source = folder.resolve("Warm.java");
            Files.writeString(source, "import java.util.*;\npublic class Warm {\n  public static void main(String[] a) {\n    List<String> l = new ArrayList<>();\n    for (String s : a) { l.add(s.trim()); }\n    System.out.println(String.join(\",\", l));\n  }\n}\n");
            for (int i = 0; i < 3; i++) {
                run(compiler, List.of("-g", "-d", folder.resolve("classes").toString(), source.toString()), new ByteArrayOutputStream());
            }
        } finally {
            try (Stream<Path> paths = Files.walk(folder)) {
                paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }
}
