package dev.savedtracks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The feature packages are modules that do not lean on each other: no cycles, no use of
 * another module's internals, and {@code system} (the ground floor) depends on no
 * feature. Inside {@code library}, the layers call only downwards (web over read, read
 * over answer and sync, those over store), with no cycle among them, and the package
 * other modules use (the door and its values) depends on none of them; so the shape stays
 * as it is. No main class grows past 300 lines, and one past 200 says its one job in its
 * first comment.
 */
class ModularStructureTest {

	private static final ApplicationModules modules = ApplicationModules.of(SavedTracksApplication.class);

	private static final JavaClasses library = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.savedtracks.library");

	@Test
	void modulesHaveNoCyclesAndUseOnlyEachOthersApis() {
		modules.verify();
	}

	@Test
	void systemAndCoordinationDependOnNoFeature() {
		for (String ground : new String[] { "system", "coordination" }) {
			ApplicationModule module = modules.getModuleByName(ground).orElseThrow();

			assertThat(module.getDirectDependencies(modules)
				.stream()
				.map(dependency -> dependency.getTargetModule().getName())).as(ground + " depends on").isEmpty();
		}
	}

	@Test
	void libraryLayersCallOnlyDownwards() {
		layeredArchitecture().consideringOnlyDependenciesInLayers()
			.layer("door")
			.definedBy("dev.savedtracks.library")
			.layer("web")
			.definedBy("dev.savedtracks.library.web..")
			.layer("read")
			.definedBy("dev.savedtracks.library.read..")
			.layer("answer")
			.definedBy("dev.savedtracks.library.answer..")
			.layer("sync")
			.definedBy("dev.savedtracks.library.sync..")
			.layer("store")
			.definedBy("dev.savedtracks.library.store..")
			.whereLayer("web")
			.mayNotBeAccessedByAnyLayer()
			.whereLayer("read")
			.mayOnlyBeAccessedByLayers("web")
			.whereLayer("answer")
			.mayOnlyBeAccessedByLayers("web", "read")
			.whereLayer("sync")
			.mayOnlyBeAccessedByLayers("read")
			.whereLayer("store")
			.mayOnlyBeAccessedByLayers("read", "answer", "sync")
			.whereLayer("door")
			.mayNotAccessAnyLayer()
			.check(library);
	}

	@Test
	void libraryLayersHaveNoCycles() {
		slices().matching("dev.savedtracks.library.(*)..").should().beFreeOfCycles().check(library);
	}

	@Test
	void mainClassesStayUnderThreeHundredLinesAndLongerOnesStateTheirJob() throws IOException {
		Pattern declaration = Pattern.compile(
				"^(public |abstract |final |sealed |non-sealed )*" + "(class|interface|record|enum|@interface) ",
				Pattern.MULTILINE);
		try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
			for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
				List<String> lines = Files.readAllLines(file);
				String text = String.join("\n", lines);
				var found = declaration.matcher(text);
				if (!found.find()) {
					continue;
				}
				assertThat(lines).as(file + ": lines").hasSizeLessThanOrEqualTo(300);
				if (lines.size() > 200) {
					assertThat(text.substring(0, found.start())).as(file + ": a class over 200 lines states its job")
						.contains("/**");
				}
			}
		}
	}

}
