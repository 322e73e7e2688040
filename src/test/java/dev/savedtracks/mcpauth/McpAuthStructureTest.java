package dev.savedtracks.mcpauth;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The shape inside {@code mcpauth}, which {@code ModularStructureTest} sees as one
 * module: each layer uses only the layers below it ({@code web} over {@code token} over
 * {@code client} over the top package, what they all share), the subpackages form no
 * cycle, and the top layer, whose parts Spring finds by themselves, shows nothing public.
 */
class McpAuthStructureTest {

	private static final JavaClasses mcpauth = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.savedtracks.mcpauth");

	@Test
	void eachLayerUsesOnlyTheLayersBelowIt() {
		layeredArchitecture().consideringOnlyDependenciesInLayers()
			.layer("web")
			.definedBy("dev.savedtracks.mcpauth.web..")
			.layer("token")
			.definedBy("dev.savedtracks.mcpauth.token..")
			.layer("client")
			.definedBy("dev.savedtracks.mcpauth.client..")
			.layer("shared")
			.definedBy("dev.savedtracks.mcpauth")
			.whereLayer("web")
			.mayNotBeAccessedByAnyLayer()
			.whereLayer("token")
			.mayOnlyBeAccessedByLayers("web")
			.whereLayer("client")
			.mayOnlyBeAccessedByLayers("token", "web")
			.whereLayer("shared")
			.mayOnlyBeAccessedByLayers("client", "token", "web")
			.check(mcpauth);
		slices().matching("dev.savedtracks.mcpauth.(**)").should().beFreeOfCycles().check(mcpauth);
	}

	@Test
	void theWebLayerIsPackagePrivate() {
		noClasses().that().resideInAPackage("dev.savedtracks.mcpauth.web").should().bePublic().check(mcpauth);
	}

}
