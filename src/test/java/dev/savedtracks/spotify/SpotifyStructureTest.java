package dev.savedtracks.spotify;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

/**
 * The shape inside {@code spotify}, which {@code ModularStructureTest} sees as one
 * module: its top package (what other modules use) depends on none of its subpackages,
 * {@code budget} only on the top package, {@code webapi} on both; nothing in it reaches
 * back into the features that use it; and each subpackage shows other modules only its
 * door.
 */
class SpotifyStructureTest {

	private static final JavaClasses spotify = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.savedtracks.spotify");

	@Test
	void subpackagesDependOnTheTopPackageAndTheClientOnTheBudgetNeverTheOtherWayRound() {
		layeredArchitecture().consideringOnlyDependenciesInLayers()
			.layer("client")
			.definedBy("dev.savedtracks.spotify.webapi..")
			.layer("budget")
			.definedBy("dev.savedtracks.spotify.budget..")
			.layer("api")
			.definedBy("dev.savedtracks.spotify")
			.whereLayer("client")
			.mayNotBeAccessedByAnyLayer()
			.whereLayer("budget")
			.mayOnlyBeAccessedByLayers("client")
			.whereLayer("api")
			.mayOnlyBeAccessedByLayers("client", "budget")
			.check(spotify);
	}

	@Test
	void spotifyUsesNoFeatureThatUsesIt() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.savedtracks.library..", "dev.savedtracks.account..", "dev.savedtracks.me..",
					"dev.savedtracks.mcp..", "dev.savedtracks.web..", "dev.savedtracks.apikey..")
			.check(spotify);
	}

	@Test
	void theBudgetShowsOnlyItsDoorAndTheClientNothing() {
		classes().that()
			.resideInAPackage("dev.savedtracks.spotify.budget")
			.and()
			.arePublic()
			.and()
			.areTopLevelClasses()
			.should()
			.haveSimpleName("RequestPermits")
			.check(spotify);
		noClasses().that().resideInAPackage("dev.savedtracks.spotify.webapi").should().bePublic().check(spotify);
	}

}
