package dev.savedtracks.account;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Gives API callers the end of the person's Spotify authorisation in the
 * {@value SignInDeadline#HEADER} header of every {@code /api/**} answer, so that a script
 * can warn its owner before the library stops updating.
 */
@Configuration(proxyBeanMethods = false)
class SignInDeadlineHeader implements WebMvcConfigurer {

	/** Absent in web slices that test controllers alone. */
	private final ObjectProvider<SignInDeadline> deadlines;

	SignInDeadlineHeader(ObjectProvider<SignInDeadline> deadlines) {
		this.deadlines = deadlines;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(new HandlerInterceptor() {

			@Override
			public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
				Authentication caller = SecurityContextHolder.getContext().getAuthentication();
				SignInDeadline deadlines = SignInDeadlineHeader.this.deadlines.getIfAvailable();
				if (deadlines != null && caller != null && caller.isAuthenticated()
						&& !"anonymousUser".equals(caller.getName())) {
					deadlines.of(caller.getName())
						.ifPresent(deadline -> response.setHeader(SignInDeadline.HEADER, deadline.toString()));
				}
				return true;
			}

		}).addPathPatterns("/api/**");
	}

}
